// Internal: ASCII case folding. Attribute, connector and rule names compare ignoring ASCII case,
// as LDAP and AD do; bytes outside ASCII (UTF-8 sequences) compare exactly, so no locale is
// involved and results never depend on the machine.
#ifndef IDSYNC_SYNC_RULES_ASCII_HPP
#define IDSYNC_SYNC_RULES_ASCII_HPP

#include <algorithm>
#include <cstddef>
#include <string_view>

namespace idsync::sync_rules::detail {

inline char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// <0, 0, >0 like strcmp.
inline int icompare(std::string_view a, std::string_view b) {
  const std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    const char x = ascii_lower(a[i]);
    const char y = ascii_lower(b[i]);
    if (x != y) return x < y ? -1 : 1;
  }
  if (a.size() == b.size()) return 0;
  return a.size() < b.size() ? -1 : 1;
}

inline bool iequal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && icompare(a, b) == 0;
}

}  // namespace idsync::sync_rules::detail

#endif  // IDSYNC_SYNC_RULES_ASCII_HPP
