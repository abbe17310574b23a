// An export batch the kit owns: the operations as C++ values and the C structs that point
// into them, built once and never resized (the plugin borrows the pointers).
#pragma once

#include <idsync/plugin_abi.h>

#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace idsync::contract {

struct ExportAttrSpec {
  std::string name;
  idsync_value_type type = IDSYNC_VALUE_STRING;
  idsync_attr_op op = IDSYNC_ATTR_REPLACE;
  std::vector<std::string> values;
};

struct ExportOpSpec {
  uint64_t op_id = 0;
  idsync_export_kind kind = IDSYNC_EXPORT_ADD;
  std::string object_type;
  std::string anchor;
  std::string dn;
  std::string new_dn;
  std::vector<ExportAttrSpec> attributes;
};

class ExportBatch {
 public:
  explicit ExportBatch(std::vector<ExportOpSpec> ops);
  ExportBatch(const ExportBatch&) = delete;
  ExportBatch& operator=(const ExportBatch&) = delete;

  const idsync_export_batch* get() const { return &batch_; }
  const std::vector<ExportOpSpec>& ops() const { return ops_; }
  std::set<uint64_t> op_ids() const;

 private:
  std::vector<ExportOpSpec> ops_;
  std::vector<std::vector<std::vector<idsync_bytes>>> values_;  // [op][attr][value]
  std::vector<std::vector<idsync_attr>> attrs_;                 // [op][attr]
  std::vector<std::vector<const idsync_attr*>> attr_ptrs_;      // [op][attr]
  std::vector<idsync_export_op> c_ops_;
  std::vector<const idsync_export_op*> op_ptrs_;
  idsync_export_batch batch_{};
};

}  // namespace idsync::contract
