#include "entry_uuid.hpp"

namespace idsync::ldap {

namespace {

constexpr bool is_dash_position(size_t i) { return i == 8 || i == 13 || i == 18 || i == 23; }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string uuid_to_text(const Uuid& uuid) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (size_t i = 0; i < uuid.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kDigits[uuid[i] >> 4];
    out += kDigits[uuid[i] & 0x0f];
  }
  return out;
}

std::optional<Uuid> uuid_from_text(std::string_view text) {
  if (text.size() != 36) return std::nullopt;
  Uuid out{};
  size_t byte = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (is_dash_position(i)) {
      if (text[i] != '-') return std::nullopt;
      continue;
    }
    const int high = hex_value(text[i]);
    const int low = i + 1 < text.size() ? hex_value(text[i + 1]) : -1;
    if (high < 0 || low < 0) return std::nullopt;
    out[byte++] = static_cast<uint8_t>(high << 4 | low);
    ++i;
  }
  return out;
}

}  // namespace idsync::ldap
