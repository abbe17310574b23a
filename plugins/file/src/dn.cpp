#include "dn.hpp"

namespace idsync::file {
namespace {

// Index of the first `sep` not escaped by a backslash, or npos.
std::size_t find_unescaped(std::string_view s, char sep) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\') {
      ++i;
      continue;
    }
    if (s[i] == sep) return i;
  }
  return std::string_view::npos;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ' && !(s.size() >= 2 && s[s.size() - 2] == '\\'))
    s.remove_suffix(1);
  return s;
}

}  // namespace

DnSplit split_first_rdn(std::string_view dn) {
  const std::size_t comma = find_unescaped(dn, ',');
  if (comma == std::string_view::npos) return {trim(dn), {}};
  return {trim(dn.substr(0, comma)), trim(dn.substr(comma + 1))};
}

bool parse_rdn(std::string_view rdn, std::vector<Ava>& out) {
  out.clear();
  while (!rdn.empty()) {
    const std::size_t plus = find_unescaped(rdn, '+');
    const std::string_view ava = rdn.substr(0, plus);
    const std::size_t eq = ava.find('=');
    if (eq == std::string_view::npos || eq == 0) return false;
    Ava a;
    a.type = std::string(trim(ava.substr(0, eq)));
    const std::string_view raw = trim(ava.substr(eq + 1));
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] != '\\') {
        a.value += raw[i];
        continue;
      }
      if (i + 1 >= raw.size()) return false;
      const int hi = hex_value(raw[i + 1]);
      const int lo = i + 2 < raw.size() ? hex_value(raw[i + 2]) : -1;
      if (hi >= 0 && lo >= 0) {
        a.value += static_cast<char>(hi * 16 + lo);
        i += 2;
      } else {
        a.value += raw[i + 1];
        ++i;
      }
    }
    out.push_back(std::move(a));
    if (plus == std::string_view::npos) break;
    rdn.remove_prefix(plus + 1);
  }
  return !out.empty();
}

}  // namespace idsync::file
