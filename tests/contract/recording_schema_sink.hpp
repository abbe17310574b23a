// The kit's idsync_schema_sink: copies each object type a connector reports.
#pragma once

#include <idsync/plugin_abi.h>

#include <cstdint>
#include <string>
#include <vector>

namespace idsync::contract {

struct SchemaAttr {
  std::string name;
  idsync_value_type type = IDSYNC_VALUE_STRING;
  uint32_t flags = 0;
};

struct SchemaObjectType {
  std::string name;
  std::string anchor_attribute;
  std::vector<SchemaAttr> attributes;

  const SchemaAttr* find(const std::string& attribute) const;
};

class RecordingSchemaSink {
 public:
  RecordingSchemaSink();
  // The plugin keeps host_ctx = this for the duration of get_schema: never move or copy.
  RecordingSchemaSink(const RecordingSchemaSink&) = delete;
  RecordingSchemaSink& operator=(const RecordingSchemaSink&) = delete;

  const idsync_schema_sink* get() const { return &sink_; }
  const std::vector<SchemaObjectType>& types() const { return types_; }
  const SchemaObjectType* find(const std::string& object_type) const;
  // Structural breaches (NULL pointers, struct sizes); what the names and types mean is
  // checked by the schema test.
  const std::vector<std::string>& violations() const { return violations_; }

 private:
  static idsync_status on_object_type(void* ctx, const idsync_object_type_info* info);

  idsync_schema_sink sink_;
  std::vector<SchemaObjectType> types_;
  std::vector<std::string> violations_;
};

}  // namespace idsync::contract
