#include "store/secret_attributes.hpp"

#include <algorithm>

#include "store/codec.hpp"
#include "store/cs_object.hpp"
#include "store/schema_record.hpp"

namespace idsync::store {

namespace {

constexpr uint8_t kFormat = 1;
constexpr char kKeyPrefix[] = "secret_attributes/";

// Orders a lower-case name against a name in any case as if both were lower case, without
// making a lower-case copy: contains() runs for every attribute of every imported object.
char lower_ascii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
int compare_folded(std::string_view lower, std::string_view any) {
  const size_t n = std::min(lower.size(), any.size());
  for (size_t i = 0; i < n; ++i) {
    const auto a = static_cast<unsigned char>(lower[i]);
    const auto b = static_cast<unsigned char>(lower_ascii(any[i]));
    if (a != b) return a < b ? -1 : 1;
  }
  return lower.size() < any.size() ? -1 : lower.size() > any.size() ? 1 : 0;
}

}  // namespace

SecretAttributes::SecretAttributes(const std::vector<std::string>& names) {
  for (const std::string& n : names) names_.push_back(lowercase(n));
  std::sort(names_.begin(), names_.end());
  names_.erase(std::unique(names_.begin(), names_.end()), names_.end());
}

bool SecretAttributes::contains(std::string_view name) const {
  // Nearly every connector has none: no lower-casing on that path.
  if (names_.empty()) return false;
  const auto it = std::lower_bound(names_.begin(), names_.end(), name,
                                   [](const std::string& lower, std::string_view any) {
                                     return compare_folded(lower, any) < 0;
                                   });
  return it != names_.end() && compare_folded(*it, name) == 0;
}

std::string secret_mask(size_t value_count) {
  return "(secret: " + std::to_string(value_count) + (value_count == 1 ? " value)" : " values)");
}

std::string secret_attributes_key(uint32_t connector_id) {
  std::string key = kKeyPrefix;
  Encoder(key).u32be(connector_id);
  return key;
}

void encode_secret_attributes(const SecretAttributes& secrets, std::string& out) {
  Encoder e(out);
  e.u8(kFormat);
  e.varint(secrets.names().size());
  for (const std::string& n : secrets.names()) e.bytes(n);
}

SecretAttributes decode_secret_attributes(std::string_view value) {
  Decoder d(value);
  const uint8_t format = d.u8();
  if (format != kFormat)
    throw CorruptRecord("unknown secret attributes format " + std::to_string(format));
  const uint64_t count = d.varint();
  std::vector<std::string> names;
  for (uint64_t i = 0; i < count; ++i) names.emplace_back(d.bytes());
  if (!d.done()) throw CorruptRecord(std::to_string(d.remaining()) + " unexpected trailing bytes");
  return SecretAttributes(names);
}

SecretAttributes read_secret_attributes(const Store& store, uint32_t connector_id) {
  return read_schema_record(store, secret_attributes_key(connector_id), connector_id,
                            "secret attributes", decode_secret_attributes)
      .value_or(SecretAttributes());
}

void write_secret_attributes(Store& store, uint32_t connector_id, const SecretAttributes& secrets) {
  std::optional<std::string> value;
  if (!secrets.empty()) encode_secret_attributes(secrets, value.emplace());
  write_schema_record(store, secret_attributes_key(connector_id), value);
}

}  // namespace idsync::store
