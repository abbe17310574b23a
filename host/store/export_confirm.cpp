#include "store/export_confirm.hpp"

#include "store/codec.hpp"

namespace idsync::store {

namespace {
constexpr uint8_t kExportConfirmFormat = 1;
}

void encode_export_confirm(const ExportConfirm& c, std::string& out) {
  Encoder e(out);
  e.u8(kExportConfirmFormat);
  e.bytes(c.dn);
  e.varint(static_cast<uint64_t>(c.when_unix_ms));
  e.varint(c.attributes.size());
  for (const auto& a : c.attributes) {
    e.bytes(a.name);
    e.u8(static_cast<uint8_t>(a.type));
    e.varint(a.values.size());
    for (const auto& v : a.values) e.bytes(v);
  }
}

void decode_export_confirm(std::string_view value, ExportConfirm& c) {
  Decoder d(value);
  if (const uint8_t format = d.u8(); format != kExportConfirmFormat)
    throw CorruptRecord("unknown export confirmation format " + std::to_string(format));
  c.dn.assign(d.bytes());
  c.when_unix_ms = static_cast<int64_t>(d.varint());
  const uint64_t n = d.varint();
  if (n > d.remaining()) throw CorruptRecord("export confirmation count is damaged");
  c.attributes.resize(n);
  for (auto& a : c.attributes) {
    a.name.assign(d.bytes());
    a.type = d.u8();
    const uint64_t values = d.varint();
    if (values > d.remaining()) throw CorruptRecord("export confirmation count is damaged");
    a.values.resize(values);
    for (auto& v : a.values) v.assign(d.bytes());
  }
  if (!d.done()) throw CorruptRecord("trailing bytes after export confirmation");
}

std::optional<ExportConfirm> ExportConfirms::get(std::string_view anchor) const {
  auto value = store_.get(Family::export_confirm, connector_key(id_, anchor));
  if (!value) return std::nullopt;
  ExportConfirm c;
  decode_export_confirm(*value, c);
  return c;
}

void ExportConfirms::put(rocksdb::WriteBatch& batch, std::string_view anchor,
                         const ExportConfirm& c) const {
  std::string value;
  encode_export_confirm(c, value);
  batch.Put(store_.family(Family::export_confirm), connector_key(id_, anchor), value);
}

void ExportConfirms::remove(rocksdb::WriteBatch& batch, std::string_view anchor) const {
  batch.Delete(store_.family(Family::export_confirm), connector_key(id_, anchor));
}

}  // namespace idsync::store
