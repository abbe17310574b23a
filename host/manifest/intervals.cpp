#include "manifest/intervals.hpp"

#include <cstdio>

namespace idsync::manifest {

namespace {

// Exactly two digits at `text[at]`, at most `max`.
std::optional<int> two_digits(std::string_view text, std::size_t at, int max) {
  if (at + 2 > text.size()) return std::nullopt;
  const char a = text[at], b = text[at + 1];
  if (a < '0' || a > '9' || b < '0' || b > '9') return std::nullopt;
  const int n = (a - '0') * 10 + (b - '0');
  if (n > max) return std::nullopt;
  return n;
}

}  // namespace

std::optional<std::chrono::seconds> parse_interval(std::string_view text) {
  long long days = 0;
  if (const auto dot = text.find('.'); dot != std::string_view::npos) {
    // At most 6 digits keeps every value far from overflowing std::chrono::seconds.
    if (dot == 0 || dot > 6) return std::nullopt;
    for (std::size_t i = 0; i < dot; ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      days = days * 10 + (text[i] - '0');
    }
    text.remove_prefix(dot + 1);
  }
  if (text.size() != 8 || text[2] != ':' || text[5] != ':') return std::nullopt;
  const auto h = two_digits(text, 0, 23), m = two_digits(text, 3, 59), s = two_digits(text, 6, 59);
  if (!h || !m || !s) return std::nullopt;
  return std::chrono::seconds(((days * 24 + *h) * 60 + *m) * 60 + *s);
}

std::string format_interval(std::chrono::seconds s) {
  long long total = s.count() < 0 ? 0 : s.count();
  const long long days = total / 86400;
  total %= 86400;
  char buf[40];
  if (days > 0)
    std::snprintf(buf, sizeof buf, "%lld.%02lld:%02lld:%02lld", days, total / 3600, total / 60 % 60,
                  total % 60);
  else
    std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld", total / 3600, total / 60 % 60,
                  total % 60);
  return buf;
}

}  // namespace idsync::manifest
