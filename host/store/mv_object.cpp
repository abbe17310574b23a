#include "store/mv_object.hpp"

#include <algorithm>

#include "store/codec.hpp"
#include "store/cs_object.hpp"

namespace idsync::store {

namespace {
// Format 1 kept each attribute's rule name with the attribute. Format 2 keeps each name once,
// in a table before the attributes, and an attribute keeps its index: an object whose values
// all came from one or two rules repeated the same names on every attribute, a third of its
// record. Both are read; format 2 is written.
constexpr uint8_t kMvObjectFormatRulesInline = 1;
constexpr uint8_t kMvObjectFormat = 2;
constexpr uint8_t kDeletedFlag = 1;
}  // namespace

const MvAttribute* MvObject::find(std::string_view name) const {
  for (const auto& a : attributes)
    if (iequals(a.name, name)) return &a;
  return nullptr;
}

MvAttribute* MvObject::find(std::string_view name) {
  for (auto& a : attributes)
    if (iequals(a.name, name)) return &a;
  return nullptr;
}

void canonicalize(std::vector<MvAttribute>& attributes) {
  std::erase_if(attributes, [](const MvAttribute& a) { return a.values.empty(); });
  std::stable_sort(
      attributes.begin(), attributes.end(),
      [](const MvAttribute& a, const MvAttribute& b) { return iless(a.name, b.name); });
}

std::string mv_key(uint64_t id) {
  std::string key;
  key.reserve(8);
  Encoder(key).u64be(id);
  return key;
}

uint64_t mv_id_of(std::string_view key) { return Decoder(key).u64be(); }

void encode_mv_object(const MvObject& o, std::string& out) {
  // The distinct rule names, in order of first use: an object has a handful at most.
  std::vector<std::string_view> rules;
  std::vector<size_t> rule_of(o.attributes.size());
  for (size_t i = 0; i < o.attributes.size(); ++i) {
    const std::string& rule = o.attributes[i].provenance.rule;
    auto it = std::find(rules.begin(), rules.end(), rule);
    rule_of[i] = static_cast<size_t>(it - rules.begin());
    if (it == rules.end()) rules.push_back(rule);
  }
  Encoder e(out);
  e.u8(kMvObjectFormat);
  e.u8(o.deleted ? kDeletedFlag : 0);
  e.bytes(o.object_type);
  e.varint(rules.size());
  for (std::string_view rule : rules) e.bytes(rule);
  e.varint(o.attributes.size());
  for (size_t i = 0; i < o.attributes.size(); ++i) {
    const MvAttribute& a = o.attributes[i];
    e.bytes(a.name);
    e.u8(static_cast<uint8_t>(a.type));
    e.varint(a.values.size());
    for (const auto& v : a.values) e.bytes(v);
    e.varint(a.provenance.connector_id);
    e.varint(rule_of[i]);
    e.varint(a.provenance.precedence);
    e.varint(static_cast<uint64_t>(a.provenance.when_unix_ms));
  }
}

void decode_mv_object(uint64_t id, std::string_view value, MvObject& o) {
  Decoder d(value);
  const uint8_t format = d.u8();
  if (format != kMvObjectFormat && format != kMvObjectFormatRulesInline)
    throw CorruptRecord("unknown metaverse record format " + std::to_string(format));
  const uint8_t flags = d.u8();
  if (flags & ~kDeletedFlag) throw CorruptRecord("unknown metaverse record flags");
  o.id = id;
  o.deleted = flags & kDeletedFlag;
  o.object_type.assign(d.bytes());
  std::vector<std::string_view> rules;
  if (format == kMvObjectFormat) {
    const uint64_t rule_count = d.varint();
    if (rule_count > d.remaining()) throw CorruptRecord("metaverse record rule count is damaged");
    rules.resize(rule_count);
    for (auto& rule : rules) rule = d.bytes();
  }
  const uint64_t count = d.varint();
  // Each attribute takes at least 6 bytes: a huge count is damage, not a reason to allocate.
  if (count > d.remaining()) throw CorruptRecord("metaverse record attribute count is damaged");
  o.attributes.resize(count);
  for (auto& a : o.attributes) {
    a.name.assign(d.bytes());
    a.type = d.u8();
    const uint64_t values = d.varint();
    if (values > d.remaining()) throw CorruptRecord("metaverse record value count is damaged");
    a.values.resize(values);
    for (auto& v : a.values) v.assign(d.bytes());
    a.provenance.connector_id = static_cast<uint32_t>(d.varint());
    if (format == kMvObjectFormat) {
      const uint64_t rule = d.varint();
      if (rule >= rules.size()) throw CorruptRecord("metaverse record rule index is damaged");
      a.provenance.rule.assign(rules[rule]);
    } else {
      a.provenance.rule.assign(d.bytes());
    }
    a.provenance.precedence = static_cast<uint32_t>(d.varint());
    a.provenance.when_unix_ms = static_cast<int64_t>(d.varint());
  }
  if (!d.done()) throw CorruptRecord("trailing bytes after metaverse record");
}

}  // namespace idsync::store
