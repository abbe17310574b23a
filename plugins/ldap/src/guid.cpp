#include "guid.hpp"

#include <array>
#include <stdexcept>

namespace idsync::ldap {
namespace {

// Byte order of the text form: for each position in the text (two hex digits each), the index
// of the raw byte printed there. The first three GUID fields are little-endian integers.
constexpr std::array<int, 16> kTextOrder = {3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15};

// Text positions after which a hyphen follows: 8-4-4-4-12 hex digits.
constexpr bool hyphen_after(int text_byte) {
  return text_byte == 3 || text_byte == 5 || text_byte == 7 || text_byte == 9;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string guid_to_string(std::string_view raw16) {
  if (raw16.size() != 16) {
    throw std::invalid_argument("an objectGUID has 16 bytes, this value has " +
                                std::to_string(raw16.size()));
  }
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 16; ++i) {
    const auto byte = static_cast<unsigned char>(raw16[kTextOrder[i]]);
    out += kDigits[byte >> 4];
    out += kDigits[byte & 0xf];
    if (hyphen_after(i)) out += '-';
  }
  return out;
}

std::optional<std::string> guid_from_string(std::string_view text) {
  if (text.size() == 38) {
    if (text.front() != '{' || text.back() != '}') return std::nullopt;
    text = text.substr(1, 36);
  }
  if (text.size() != 36) return std::nullopt;
  std::string raw(16, '\0');
  std::size_t pos = 0;
  for (int i = 0; i < 16; ++i) {
    const int hi = hex_value(text[pos]);
    const int lo = hex_value(text[pos + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    raw[kTextOrder[i]] = static_cast<char>(hi * 16 + lo);
    pos += 2;
    if (hyphen_after(i)) {
      if (text[pos] != '-') return std::nullopt;
      ++pos;
    }
  }
  return raw;
}

}  // namespace idsync::ldap
