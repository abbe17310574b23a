// What the last successful export sent (`export_confirm`: connector id (4 bytes BE) + anchor ->
// ExportConfirm), so that the next import can check the connector really holds it: a value
// exported but not seen back is reported as exported-change-not-reimported.
//
// Written by the export step in the batch that clears the pending export; the import (or the
// sync after it) compares and removes it.
#pragma once

#include <rocksdb/write_batch.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/cs_object.hpp"
#include "store/store.hpp"

namespace idsync::store {

struct ExportConfirm {
  std::string dn;                     // the DN exported (empty: unchanged)
  std::vector<Attribute> attributes;  // the values exported, per attribute (canonical order)
  int64_t when_unix_ms = 0;
  bool operator==(const ExportConfirm&) const = default;
};

// Record: format byte, dn, when, attribute count, attributes (name, type, values).
void encode_export_confirm(const ExportConfirm& confirm, std::string& out);
// Throws CorruptRecord on damage.
void decode_export_confirm(std::string_view value, ExportConfirm& out);

class ExportConfirms {
 public:
  ExportConfirms(Store& store, uint32_t connector_id) : store_(store), id_(connector_id) {}

  std::optional<ExportConfirm> get(std::string_view anchor) const;
  void put(rocksdb::WriteBatch& batch, std::string_view anchor, const ExportConfirm& c) const;
  void remove(rocksdb::WriteBatch& batch, std::string_view anchor) const;

 private:
  Store& store_;
  uint32_t id_;
};

}  // namespace idsync::store
