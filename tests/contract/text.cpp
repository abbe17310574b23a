#include "contract/text.hpp"

#include <algorithm>
#include <cstdint>

namespace idsync::contract {

std::string printable(std::string_view text) {
  // Enough to recognise a value in a report without pasting a whole photo into it.
  constexpr std::size_t kMax = 80;
  const bool cut = text.size() > kMax;
  const std::string_view shown = text.substr(0, kMax);
  const bool plain = std::all_of(shown.begin(), shown.end(),
                                 [](unsigned char c) { return c >= 0x20 && c < 0x7f; });
  std::string out;
  if (plain) {
    out = "\"" + std::string(shown) + "\"";
  } else {
    static const char hex[] = "0123456789abcdef";
    out = "0x";
    for (unsigned char c : shown) {
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  if (cut) out += "... (" + std::to_string(text.size()) + " bytes)";
  return out;
}

bool is_valid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t extra = 0;
    uint32_t code = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1;
      code = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2;
      code = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3;
      code = c & 0x07;
    } else {
      return false;
    }
    if (i + extra >= text.size()) return false;  // truncated sequence
    for (std::size_t k = 1; k <= extra; ++k) {
      const auto cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      code = (code << 6) | (cc & 0x3F);
    }
    // Overlong forms, UTF-16 surrogates and values past U+10FFFF are not UTF-8.
    static const uint32_t min_for[] = {0, 0x80, 0x800, 0x10000};
    if (code < min_for[extra] || (code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF)
      return false;
    i += extra + 1;
  }
  return true;
}

}  // namespace idsync::contract
