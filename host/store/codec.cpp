#include "store/codec.hpp"

namespace idsync::store {

namespace {
constexpr uint8_t kCsObjectFormat = 1;
constexpr uint8_t kCsObjectFormatWithValueChanges = 2;
constexpr uint8_t kCsPlaceholderFormat = 3;  // format 1, awaiting its add
constexpr uint8_t kCsFirstImportFormat = 4;  // format 1, CsObject::first_import

uint8_t read_cs_format(Decoder& d) {
  const uint8_t format = d.u8();
  if (format != kCsObjectFormat && format != kCsObjectFormatWithValueChanges &&
      format != kCsPlaceholderFormat && format != kCsFirstImportFormat)
    throw CorruptRecord("unknown connector-space record format " + std::to_string(format));
  return format;
}

void read_strings(Decoder& d, std::vector<std::string>& out) {
  const uint64_t n = d.varint();
  if (n > d.remaining()) throw CorruptRecord("value count is damaged");
  out.resize(n);
  for (auto& v : out) v.assign(d.bytes());
}
}  // namespace

void Encoder::varint(uint64_t v) {
  while (v >= 0x80) {
    out_.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out_.push_back(static_cast<char>(v));
}

void Encoder::u32be(uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8)
    out_.push_back(static_cast<char>((v >> shift) & 0xff));
}

void Encoder::u64be(uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8)
    out_.push_back(static_cast<char>((v >> shift) & 0xff));
}

void Decoder::need(size_t n) const {
  if (in_.size() - pos_ < n) throw CorruptRecord("record is truncated");
}

uint8_t Decoder::u8() {
  need(1);
  return static_cast<uint8_t>(in_[pos_++]);
}

uint64_t Decoder::varint() {
  uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    const uint8_t b = u8();
    v |= static_cast<uint64_t>(b & 0x7f) << shift;
    if (!(b & 0x80)) return v;
  }
  throw CorruptRecord("varint is too long");
}

std::string_view Decoder::bytes() {
  const uint64_t n = varint();
  need(n);
  std::string_view s = in_.substr(pos_, n);
  pos_ += n;
  return s;
}

uint32_t Decoder::u32be() {
  need(4);
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<uint8_t>(in_[pos_++]);
  return v;
}

uint64_t Decoder::u64be() {
  need(8);
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<uint8_t>(in_[pos_++]);
  return v;
}

void encode_cs_header(PendingChange pending, std::string_view object_type, std::string_view dn,
                      std::string_view previous_dn, const std::vector<std::string>& changed,
                      std::string& out, const std::vector<ValueChange>& value_changes) {
  Encoder e(out);
  e.u8(value_changes.empty() ? kCsObjectFormat : kCsObjectFormatWithValueChanges);
  e.u8(static_cast<uint8_t>(pending));
  e.bytes(object_type);
  e.bytes(dn);
  e.bytes(previous_dn);
  e.varint(changed.size());
  for (const auto& name : changed) e.bytes(name);
  if (!value_changes.empty()) encode_value_changes(e, value_changes);
}

void encode_value_changes(Encoder& e, const std::vector<ValueChange>& changes) {
  e.varint(changes.size());
  for (const ValueChange& c : changes) {
    e.bytes(c.name);
    e.varint(c.added.size());
    for (const auto& v : c.added) e.bytes(v);
    e.varint(c.removed.size());
    for (const auto& v : c.removed) e.bytes(v);
  }
}

void decode_value_changes(Decoder& d, std::vector<ValueChange>& out) {
  const uint64_t n = d.varint();
  if (n > d.remaining()) throw CorruptRecord("value change count is damaged");
  out.resize(n);
  for (ValueChange& c : out) {
    c.name.assign(d.bytes());
    read_strings(d, c.added);
    read_strings(d, c.removed);
  }
}

CsHeaderView parse_cs_header(std::string_view value) {
  Decoder d(value);
  const uint8_t format = read_cs_format(d);
  CsHeaderView h;
  const uint8_t pending = d.u8();
  if (pending > static_cast<uint8_t>(PendingChange::rename))
    throw CorruptRecord("bad pending change");
  h.pending = static_cast<PendingChange>(pending);
  h.object_type = d.bytes();
  h.dn = d.bytes();
  h.previous_dn = d.bytes();
  h.awaiting_add = format == kCsPlaceholderFormat;
  h.first_import = format == kCsFirstImportFormat;
  for (uint64_t n = d.varint(); n > 0; --n) d.bytes();
  if (format == kCsObjectFormatWithValueChanges) {
    std::vector<ValueChange> skipped;
    decode_value_changes(d, skipped);
  }
  h.attributes_offset = value.size() - d.remaining();
  return h;
}

void encode_cs_object(const CsObject& o, std::string& out) {
  const size_t start = out.size();
  encode_cs_header(o.pending, o.object_type, o.dn, o.previous_dn, o.changed_attributes, out,
                   o.value_changes);
  if (o.awaiting_add) {
    // A placeholder holds no change and no value change: its header is format 1's.
    if (!o.value_changes.empty())
      throw std::logic_error("a placeholder awaiting its add carries no value changes");
    out[start] = static_cast<char>(kCsPlaceholderFormat);
  }
  if (o.first_import) {
    if (o.awaiting_add || o.pending != PendingChange::none || !o.changed_attributes.empty() ||
        !o.previous_dn.empty() || !o.value_changes.empty())
      throw std::logic_error("a first-import object carries no pending change or placeholder mark");
    out[start] = static_cast<char>(kCsFirstImportFormat);
  }
  encode_cs_attributes(o.attributes, out);
}

void encode_first_import_header(std::string_view object_type, std::string_view dn,
                                std::string& out) {
  const size_t start = out.size();
  encode_cs_header(PendingChange::none, object_type, dn, {}, {}, out);
  out[start] = static_cast<char>(kCsFirstImportFormat);
}

std::string confirmed_placeholder(std::string_view value) {
  if (value.empty() || static_cast<uint8_t>(value[0]) != kCsPlaceholderFormat)
    throw CorruptRecord("not the record of a placeholder awaiting its add");
  std::string confirmed(value);
  confirmed[0] = static_cast<char>(kCsObjectFormat);
  return confirmed;
}

void encode_cs_attributes(const std::vector<Attribute>& attributes, std::string& out) {
  Encoder e(out);
  e.varint(attributes.size());
  for (const auto& a : attributes) {
    e.bytes(a.name);
    e.u8(static_cast<uint8_t>(a.type));
    e.varint(a.values.size());
    for (const auto& v : a.values) e.bytes(v);
  }
}

void decode_cs_object(std::string_view anchor, std::string_view value, CsObject& o) {
  Decoder d(value);
  const uint8_t format = read_cs_format(d);
  o.anchor.assign(anchor);
  const uint8_t pending = d.u8();
  if (pending > static_cast<uint8_t>(PendingChange::rename))
    throw CorruptRecord("bad pending change");
  o.pending = static_cast<PendingChange>(pending);
  o.object_type.assign(d.bytes());
  o.dn.assign(d.bytes());
  o.previous_dn.assign(d.bytes());
  o.awaiting_add = format == kCsPlaceholderFormat;
  o.first_import = format == kCsFirstImportFormat;
  read_strings(d, o.changed_attributes);
  o.value_changes.clear();
  if (format == kCsObjectFormatWithValueChanges) decode_value_changes(d, o.value_changes);
  o.attributes.resize(d.varint());
  for (auto& a : o.attributes) {
    a.name.assign(d.bytes());
    a.type = d.u8();
    a.values.resize(d.varint());
    for (auto& v : a.values) v.assign(d.bytes());
  }
  if (!d.done()) throw CorruptRecord("trailing bytes after connector-space record");
}

}  // namespace idsync::store
