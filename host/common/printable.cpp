#include "common/printable.hpp"

#include <algorithm>

namespace idsync::common {

std::string printable(std::string_view anchor) {
  const bool text = std::all_of(anchor.begin(), anchor.end(),
                                [](unsigned char c) { return c >= 0x20 && c < 0x7f; });
  if (text) return std::string(anchor);
  static const char hex[] = "0123456789abcdef";
  std::string out = "0x";
  for (unsigned char c : anchor) {
    out.push_back(hex[c >> 4]);
    out.push_back(hex[c & 15]);
  }
  return out;
}

}  // namespace idsync::common
