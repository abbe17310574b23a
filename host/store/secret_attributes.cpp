#include "store/secret_attributes.hpp"

#include <algorithm>

#include "store/codec.hpp"
#include "store/cs_object.hpp"

namespace idsync::store {

namespace {

constexpr uint8_t kFormat = 1;
constexpr char kKeyPrefix[] = "secret_attributes/";

}  // namespace

SecretAttributes::SecretAttributes(const std::vector<std::string>& names) {
  for (const std::string& n : names) names_.push_back(lowercase(n));
  std::sort(names_.begin(), names_.end());
  names_.erase(std::unique(names_.begin(), names_.end()), names_.end());
}

bool SecretAttributes::contains(std::string_view name) const {
  // Nearly every connector has none: no lower-casing on that path.
  if (names_.empty()) return false;
  return std::binary_search(names_.begin(), names_.end(), lowercase(name));
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
  const auto value = store.get_setting(secret_attributes_key(connector_id));
  if (!value) return {};
  try {
    return decode_secret_attributes(*value);
  } catch (const CorruptRecord& e) {
    throw CorruptRecord("store " + store.path().string() +
                        ": the secret attributes of connector id " + std::to_string(connector_id) +
                        " are damaged (" + e.what() +
                        "); an import or export of the connector writes them again");
  }
}

void write_secret_attributes(Store& store, uint32_t connector_id, const SecretAttributes& secrets) {
  const std::string key = secret_attributes_key(connector_id);
  std::optional<std::string> value;
  if (!secrets.empty()) encode_secret_attributes(secrets, value.emplace());
  if (store.get_setting(key) != value) store.put_setting(key, value);
}

}  // namespace idsync::store
