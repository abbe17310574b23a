#include "filter_escape.hpp"

namespace idsync::ldap {
namespace {

void append_escaped(std::string& out, unsigned char byte) {
  static constexpr char kDigits[] = "0123456789abcdef";
  out += '\\';
  out += kDigits[byte >> 4];
  out += kDigits[byte & 0xf];
}

// Length of the well-formed UTF-8 sequence (RFC 3629) starting at s[i], or 0 when the bytes
// there do not form one (stray continuation byte, overlong form, surrogate, beyond U+10FFFF,
// truncated). Only called for bytes >= 0x80.
std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  std::size_t len = 0;
  unsigned char lo = 0x80, hi = 0xbf;  // allowed range of the second byte
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    len = 2;
  } else if (b0 >= 0xe0 && b0 <= 0xef) {
    len = 3;
    if (b0 == 0xe0) lo = 0xa0;  // overlong
    if (b0 == 0xed) hi = 0x9f;  // surrogates
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    len = 4;
    if (b0 == 0xf0) lo = 0x90;  // overlong
    if (b0 == 0xf4) hi = 0x8f;  // beyond U+10FFFF
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  const auto b1 = static_cast<unsigned char>(s[i + 1]);
  if (b1 < lo || b1 > hi) return 0;
  for (std::size_t k = 2; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if (b < 0x80 || b > 0xbf) return 0;
  }
  return len;
}

}  // namespace

std::string escape_filter_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (std::size_t i = 0; i < value.size();) {
    const auto byte = static_cast<unsigned char>(value[i]);
    if (byte == '*' || byte == '(' || byte == ')' || byte == '\\' || byte == '\0') {
      append_escaped(out, byte);
      ++i;
    } else if (byte < 0x80) {
      out += value[i];
      ++i;
    } else if (const std::size_t len = utf8_sequence_length(value, i); len > 0) {
      out.append(value.substr(i, len));
      i += len;
    } else {
      append_escaped(out, byte);
      ++i;
    }
  }
  return out;
}

std::string escape_filter_bytes(std::string_view raw) {
  std::string out;
  out.reserve(raw.size() * 3);
  for (const char c : raw) append_escaped(out, static_cast<unsigned char>(c));
  return out;
}

}  // namespace idsync::ldap
