#include "manifest/intervals.hpp"

#include <cstdio>

namespace idsync::manifest {

namespace {

// One or two digits, at most `max` (.NET reads "1.0:0:0" as a day, as the seeds write it).
std::optional<int> component(std::string_view text, int max) {
  if (text.empty() || text.size() > 2) return std::nullopt;
  int n = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
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
  const auto first = text.find(':');
  const auto second = first == std::string_view::npos ? first : text.find(':', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  const auto h = component(text.substr(0, first), 23);
  const auto m = component(text.substr(first + 1, second - first - 1), 59);
  const auto s = component(text.substr(second + 1), 59);
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
