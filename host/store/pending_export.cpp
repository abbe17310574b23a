#include "store/pending_export.hpp"

#include "store/codec.hpp"
#include "store/cs_object.hpp"
#include "store/export_merge.hpp"
#include "store/prefix_scan.hpp"

namespace idsync::store {

namespace {
constexpr uint8_t kPendingExportFormat = 1;
}

std::string_view to_string(ExportKind kind) {
  switch (kind) {
    case ExportKind::add:
      return "add";
    case ExportKind::update:
      return "update";
    case ExportKind::remove:
      return "delete";
    case ExportKind::remove_add:
      return "delete-add";
  }
  return "unknown";
}

std::string_view to_string(ValueOp op) {
  switch (op) {
    case ValueOp::replace:
      return "replace";
    case ValueOp::add:
      return "add";
    case ValueOp::remove:
      return "remove";
  }
  return "unknown";
}

const AttributeDelta* PendingExport::find(std::string_view name, ValueOp op) const {
  for (const auto& a : attributes)
    if (a.op == op && iequals(a.name, name)) return &a;
  return nullptr;
}

void encode_pending_export(const PendingExport& pe, std::string& out) {
  Encoder e(out);
  e.u8(kPendingExportFormat);
  e.u8(static_cast<uint8_t>(pe.kind));
  e.bytes(pe.object_type);
  e.bytes(pe.dn);
  e.bytes(pe.new_dn);
  e.varint(pe.attributes.size());
  for (const auto& a : pe.attributes) {
    e.bytes(a.name);
    e.u8(static_cast<uint8_t>(a.type));
    e.u8(static_cast<uint8_t>(a.op));
    e.varint(a.values.size());
    for (const auto& v : a.values) e.bytes(v);
  }
  e.u8(pe.last_error ? 1 : 0);
  if (pe.last_error) {
    e.varint(static_cast<uint32_t>(pe.last_error->status));
    e.varint(static_cast<uint32_t>(pe.last_error->kind));
    e.bytes(pe.last_error->message);
    e.varint(static_cast<uint64_t>(pe.last_error->when_unix_ms));
  }
  e.varint(pe.attempts);
  e.varint(static_cast<uint64_t>(pe.created_unix_ms));
  e.varint(static_cast<uint64_t>(pe.updated_unix_ms));
}

PendingExportHead peek_pending_export(std::string_view value) {
  Decoder d(value);
  if (const uint8_t format = d.u8(); format != kPendingExportFormat)
    throw CorruptRecord("unknown pending export format " + std::to_string(format));
  const uint8_t kind = d.u8();
  if (kind < 1 || kind > 4) throw CorruptRecord("bad pending export kind");
  PendingExportHead head;
  head.kind = static_cast<ExportKind>(kind);
  for (int field = 0; field < 3; ++field) d.bytes();  // object type, DN, new DN
  const uint64_t n = d.varint();
  if (n > d.remaining()) throw CorruptRecord("pending export delta count is damaged");
  for (uint64_t i = 0; i < n; ++i) {
    d.bytes();  // name
    d.u8();     // type
    d.u8();     // op
    const uint64_t values = d.varint();
    if (values > d.remaining()) throw CorruptRecord("pending export value count is damaged");
    for (uint64_t v = 0; v < values; ++v) d.bytes();
  }
  const uint8_t has_error = d.u8();
  if (has_error > 1) throw CorruptRecord("bad pending export error flag");
  if (has_error) {
    d.varint();
    d.varint();
    d.bytes();
    d.varint();
  }
  head.attempts = static_cast<uint32_t>(d.varint());
  return head;
}

void decode_pending_export(std::string_view value, PendingExport& pe) {
  Decoder d(value);
  if (const uint8_t format = d.u8(); format != kPendingExportFormat)
    throw CorruptRecord("unknown pending export format " + std::to_string(format));
  const uint8_t kind = d.u8();
  if (kind < 1 || kind > 4) throw CorruptRecord("bad pending export kind");
  pe.kind = static_cast<ExportKind>(kind);
  pe.object_type.assign(d.bytes());
  pe.dn.assign(d.bytes());
  pe.new_dn.assign(d.bytes());
  const uint64_t n = d.varint();
  if (n > d.remaining()) throw CorruptRecord("pending export delta count is damaged");
  pe.attributes.resize(n);
  for (auto& a : pe.attributes) {
    a.name.assign(d.bytes());
    a.type = d.u8();
    const uint8_t op = d.u8();
    if (op < 1 || op > 3) throw CorruptRecord("bad pending export value operation");
    a.op = static_cast<ValueOp>(op);
    const uint64_t values = d.varint();
    if (values > d.remaining()) throw CorruptRecord("pending export value count is damaged");
    a.values.resize(values);
    for (auto& v : a.values) v.assign(d.bytes());
  }
  const uint8_t has_error = d.u8();
  if (has_error > 1) throw CorruptRecord("bad pending export error flag");
  pe.last_error.reset();
  if (has_error) {
    ExportError& err = pe.last_error.emplace();
    err.status = static_cast<int32_t>(d.varint());
    err.kind = static_cast<int32_t>(d.varint());
    err.message.assign(d.bytes());
    err.when_unix_ms = static_cast<int64_t>(d.varint());
  }
  pe.attempts = static_cast<uint32_t>(d.varint());
  pe.created_unix_ms = static_cast<int64_t>(d.varint());
  pe.updated_unix_ms = static_cast<int64_t>(d.varint());
  if (!d.done()) throw CorruptRecord("trailing bytes after pending export");
}

std::optional<PendingExport> PendingExports::get(std::string_view anchor) const {
  auto value = store_.get(Family::pending_export, connector_key(id_, anchor));
  if (!value) return std::nullopt;
  PendingExport pe;
  decode_pending_export(*value, pe);
  return pe;
}

void PendingExports::for_each(
    const std::function<bool(std::string_view, const PendingExport&)>& visit) const {
  PendingExport pe;
  scan_prefix(store_, Family::pending_export, connector_prefix(id_),
              [&](std::string_view anchor, std::string_view value) {
                decode_pending_export(value, pe);
                return visit(anchor, pe);
              });
}

void PendingExports::put(rocksdb::WriteBatch& batch, std::string_view anchor,
                         const PendingExport& pe) const {
  std::string value;
  encode_pending_export(pe, value);
  batch.Put(store_.family(Family::pending_export), connector_key(id_, anchor), value);
}

void PendingExports::remove(rocksdb::WriteBatch& batch, std::string_view anchor) const {
  batch.Delete(store_.family(Family::pending_export), connector_key(id_, anchor));
}

std::optional<PendingExport> PendingExports::merge(rocksdb::WriteBatch& batch,
                                                   std::string_view anchor,
                                                   const PendingExport& delta) const {
  return merge(batch, anchor, get(anchor), delta);
}

std::optional<PendingExport> PendingExports::merge(rocksdb::WriteBatch& batch,
                                                   std::string_view anchor,
                                                   const std::optional<PendingExport>& existing,
                                                   const PendingExport& delta) const {
  auto merged = merge_pending_export(existing, delta);
  if (merged)
    put(batch, anchor, *merged);
  else if (existing)
    remove(batch, anchor);
  return merged;
}

}  // namespace idsync::store
