#include "unicode_pwd.hpp"

#include <cstdint>
#include <stdexcept>

namespace idsync::ldap {
namespace {

void append_unit(std::string& out, uint32_t unit) {
  out += static_cast<char>(unit & 0xff);
  out += static_cast<char>(unit >> 8);
}

void append_utf16le(std::string& out, uint32_t code_point) {
  if (code_point < 0x10000) {
    append_unit(out, code_point);
    return;
  }
  const uint32_t v = code_point - 0x10000;
  append_unit(out, 0xd800 + (v >> 10));
  append_unit(out, 0xdc00 + (v & 0x3ff));
}

// The error names the position only: the text is a secret.
[[noreturn]] void invalid_at(std::size_t offset) {
  throw std::invalid_argument("the password is not valid UTF-8 at byte offset " +
                              std::to_string(offset));
}

// Decodes the UTF-8 sequence at s[i] (RFC 3629, section 4), advancing i past it.
uint32_t decode_one(std::string_view s, std::size_t& i) {
  const std::size_t start = i;
  const auto b0 = static_cast<unsigned char>(s[i++]);
  if (b0 < 0x80) return b0;
  std::size_t more = 0;
  uint32_t cp = 0;
  uint32_t min = 0;
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    more = 1, cp = b0 & 0x1f, min = 0x80;
  } else if (b0 >= 0xe0 && b0 <= 0xef) {
    more = 2, cp = b0 & 0x0f, min = 0x800;
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    more = 3, cp = b0 & 0x07, min = 0x10000;
  } else {
    invalid_at(start);  // a continuation byte, an overlong lead (C0, C1) or F5..FF
  }
  for (std::size_t k = 0; k < more; ++k) {
    if (i >= s.size()) invalid_at(start);
    const auto b = static_cast<unsigned char>(s[i]);
    if ((b & 0xc0) != 0x80) invalid_at(i);
    cp = (cp << 6) | (b & 0x3f);
    ++i;
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) invalid_at(start);
  return cp;
}

}  // namespace

std::string ad_unicode_pwd(std::string_view utf8_password) {
  std::string out;
  out.reserve(utf8_password.size() * 2 + 4);
  append_unit(out, '"');
  for (std::size_t i = 0; i < utf8_password.size();) {
    append_utf16le(out, decode_one(utf8_password, i));
  }
  append_unit(out, '"');
  return out;
}

}  // namespace idsync::ldap
