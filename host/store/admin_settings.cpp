#include "store/admin_settings.hpp"

#include <stdexcept>

#include "store/codec.hpp"

namespace idsync::store {

namespace {

constexpr uint8_t kSettingFormat = 1;
constexpr char kDeletionThresholdPrefix[] = "deletion_threshold/";

bool decode_flag(Decoder& d) {
  const uint8_t flag = d.u8();
  if (flag > 1) throw CorruptRecord("flag byte " + std::to_string(flag) + " is neither 0 nor 1");
  return flag == 1;
}

void check_format(Decoder& d) {
  const uint8_t format = d.u8();
  if (format != kSettingFormat)
    throw CorruptRecord("unknown setting format " + std::to_string(format));
}

void check_done(const Decoder& d) {
  if (!d.done()) throw CorruptRecord(std::to_string(d.remaining()) + " unexpected trailing bytes");
}

// Reading a damaged setting names it and says how to repair it, rather than guessing a value.
[[noreturn]] void damaged(const Store& store, const std::string& what, const CorruptRecord& e,
                          const char* repair) {
  throw CorruptRecord("store " + store.path().string() + ": the stored " + what + " is damaged (" +
                      e.what() + "); set it again with " + repair);
}

}  // namespace

std::string deletion_threshold_key(uint32_t connector_id) {
  std::string key = kDeletionThresholdPrefix;
  Encoder(key).u32be(connector_id);
  return key;
}

void encode_deletion_threshold(const DeletionThreshold& t, std::string& out) {
  Encoder e(out);
  e.u8(kSettingFormat);
  e.u8(t.enabled ? 1 : 0);
  e.varint(t.count);
  e.u8(t.percent.value_or(0));
}

DeletionThreshold decode_deletion_threshold(std::string_view value) {
  Decoder d(value);
  check_format(d);
  DeletionThreshold t;
  t.enabled = decode_flag(d);
  t.count = d.varint();
  const uint8_t percent = d.u8();
  if (percent > 100) throw CorruptRecord("percentage " + std::to_string(percent) + " is above 100");
  if (percent > 0) t.percent = percent;
  check_done(d);
  return t;
}

DeletionThreshold read_deletion_threshold(const Store& store, uint32_t connector_id) {
  const auto value = store.get_setting(deletion_threshold_key(connector_id));
  if (!value) return DeletionThreshold{};
  try {
    return decode_deletion_threshold(*value);
  } catch (const CorruptRecord& e) {
    damaged(store, "deletion threshold of connector id " + std::to_string(connector_id), e,
            "idsync deletion-threshold enable or disable");
  }
}

void write_deletion_threshold(Store& store, uint32_t connector_id, const DeletionThreshold& t) {
  if (t.percent && (*t.percent < 1 || *t.percent > 100))
    throw std::invalid_argument("a deletion threshold percentage must be from 1 to 100, not " +
                                std::to_string(*t.percent));
  std::string value;
  encode_deletion_threshold(t, value);
  store.put_setting(deletion_threshold_key(connector_id), value);
}

bool read_staging_mode(const Store& store) {
  const auto value = store.get_setting(kStagingModeKey);
  if (!value) return false;
  try {
    Decoder d(*value);
    check_format(d);
    const bool enabled = decode_flag(d);
    check_done(d);
    return enabled;
  } catch (const CorruptRecord& e) {
    damaged(store, "staging mode flag", e, "idsync staging-mode enable or disable");
  }
}

void write_staging_mode(Store& store, bool enabled) {
  std::string value;
  Encoder e(value);
  e.u8(kSettingFormat);
  e.u8(enabled ? 1 : 0);
  store.put_setting(kStagingModeKey, value);
}

}  // namespace idsync::store
