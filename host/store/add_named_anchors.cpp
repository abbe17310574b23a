#include "store/add_named_anchors.hpp"

#include <algorithm>
#include <optional>

#include "store/codec.hpp"
#include "store/schema_record.hpp"

namespace idsync::store {

namespace {

constexpr uint8_t kFormat = 1;
constexpr char kKeyPrefix[] = "add_named_anchors/";

}  // namespace

AddNamedAnchors::AddNamedAnchors(std::vector<Entry> entries) : entries_(std::move(entries)) {
  std::stable_sort(entries_.begin(), entries_.end(),
                   [](const Entry& a, const Entry& b) { return a.first < b.first; });
  entries_.erase(std::unique(entries_.begin(), entries_.end(),
                             [](const Entry& a, const Entry& b) { return a.first == b.first; }),
                 entries_.end());
}

const std::string* AddNamedAnchors::attribute_of(std::string_view object_type) const {
  const auto it = std::lower_bound(
      entries_.begin(), entries_.end(), object_type,
      [](const Entry& e, std::string_view type) { return std::string_view(e.first) < type; });
  return it != entries_.end() && it->first == object_type ? &it->second : nullptr;
}

std::string add_named_anchors_key(uint32_t connector_id) {
  std::string key = kKeyPrefix;
  Encoder(key).u32be(connector_id);
  return key;
}

void encode_add_named_anchors(const AddNamedAnchors& anchors, std::string& out) {
  Encoder e(out);
  e.u8(kFormat);
  e.varint(anchors.entries().size());
  for (const auto& [type, attribute] : anchors.entries()) {
    e.bytes(type);
    e.bytes(attribute);
  }
}

AddNamedAnchors decode_add_named_anchors(std::string_view value) {
  Decoder d(value);
  const uint8_t format = d.u8();
  if (format != kFormat)
    throw CorruptRecord("unknown add-named anchors format " + std::to_string(format));
  const uint64_t count = d.varint();
  if (count > d.remaining()) throw CorruptRecord("the entry count is damaged");
  std::vector<AddNamedAnchors::Entry> entries;
  for (uint64_t i = 0; i < count; ++i) {
    std::string type(d.bytes());
    entries.emplace_back(std::move(type), std::string(d.bytes()));
  }
  if (!d.done()) throw CorruptRecord(std::to_string(d.remaining()) + " unexpected trailing bytes");
  return AddNamedAnchors(std::move(entries));
}

AddNamedAnchors read_add_named_anchors(const Store& store, uint32_t connector_id) {
  return read_schema_record(store, add_named_anchors_key(connector_id), connector_id,
                            "add-named anchors", decode_add_named_anchors)
      .value_or(AddNamedAnchors());
}

void write_add_named_anchors(Store& store, uint32_t connector_id, const AddNamedAnchors& anchors) {
  std::optional<std::string> value;
  if (!anchors.empty()) encode_add_named_anchors(anchors, value.emplace());
  write_schema_record(store, add_named_anchors_key(connector_id), value);
}

}  // namespace idsync::store
