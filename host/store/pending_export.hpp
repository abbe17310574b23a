// Pending exports (`pending_export`: connector id (4 bytes BE) + anchor -> PendingExport): what
// outbound sync decided the connector must be told, kept until an export succeeds. Deltas are
// value-level, so one member added to a large group is one value to send.
#pragma once

#include <idsync/plugin_abi.h>
#include <rocksdb/write_batch.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/store.hpp"

namespace idsync::store {

enum class ExportKind : uint8_t {
  add = 1,         // create the object with the attributes (all `replace`)
  update = 2,      // apply the deltas (and the rename, when new_dn is set)
  remove = 3,      // delete the object ("delete")
  remove_add = 4,  // delete, then create with the attributes ("delete-add")
};
std::string_view to_string(ExportKind kind);

enum class ValueOp : uint8_t {
  replace = 1,  // the attribute's values become `values` (none: clear it)
  add = 2,      // add `values`
  remove = 3,   // remove `values`
};
std::string_view to_string(ValueOp op);

// Per attribute, a pending export has either one `replace`, or at most one `add` and at most
// one `remove` whose values are disjoint; an add or remove never has zero values. An add
// (or remove_add) export has only `replace` deltas, each with values.
struct AttributeDelta {
  std::string name;
  idsync_value_type type = IDSYNC_VALUE_STRING;
  ValueOp op = ValueOp::replace;
  std::vector<std::string> values;
  bool operator==(const AttributeDelta&) const = default;
};

struct ExportError {
  int32_t status = 0;  // idsync_status of the failed call
  int32_t kind = 0;    // idsync_error_kind
  std::string message;
  int64_t when_unix_ms = 0;
  bool operator==(const ExportError&) const = default;
};

struct PendingExport {
  ExportKind kind = ExportKind::update;
  std::string object_type;
  std::string dn;
  std::string new_dn;  // update: the DN to rename to; empty when not renaming
  // Sorted by name (case-insensitively), then op (replace, add, remove).
  std::vector<AttributeDelta> attributes;
  std::optional<ExportError> last_error;
  uint32_t attempts = 0;  // exports tried and failed
  int64_t created_unix_ms = 0;
  int64_t updated_unix_ms = 0;

  const AttributeDelta* find(std::string_view name, ValueOp op) const;
  bool operator==(const PendingExport&) const = default;
};

// Record: format byte, kind, object type, dn, new dn, delta count, deltas (name, value type,
// op, values), error flag [status, kind, message, when], attempts, created, updated.
// Decoding throws CorruptRecord on an unknown format, kind or op, truncation or trailing bytes.
void encode_pending_export(const PendingExport& pe, std::string& out);
void decode_pending_export(std::string_view value, PendingExport& out);

// The kind and attempts of an encoded pending export, read without decoding its values: what a
// count of a connector's pending exports needs of each. Throws CorruptRecord as decoding does.
struct PendingExportHead {
  ExportKind kind = ExportKind::update;
  uint32_t attempts = 0;
};
PendingExportHead peek_pending_export(std::string_view value);

class PendingExports {
 public:
  PendingExports(Store& store, uint32_t connector_id) : store_(store), id_(connector_id) {}

  std::optional<PendingExport> get(std::string_view anchor) const;
  // Streams the connector's pending exports in anchor order; `visit` returns false to stop.
  void for_each(
      const std::function<bool(std::string_view anchor, const PendingExport&)>& visit) const;
  void put(rocksdb::WriteBatch& batch, std::string_view anchor, const PendingExport& pe) const;
  void remove(rocksdb::WriteBatch& batch, std::string_view anchor) const;
  // Merges `delta` into the committed pending export of `anchor` (merge_pending_export) and
  // puts the result, or removes the record when they cancel. Reads the committed record: at
  // most one call per anchor per batch. Returns the result.
  std::optional<PendingExport> merge(rocksdb::WriteBatch& batch, std::string_view anchor,
                                     const PendingExport& delta) const;
  // merge() for a caller that has read the committed record already: `existing`.
  std::optional<PendingExport> merge(rocksdb::WriteBatch& batch, std::string_view anchor,
                                     const std::optional<PendingExport>& existing,
                                     const PendingExport& delta) const;

 private:
  Store& store_;
  uint32_t id_;
};

}  // namespace idsync::store
