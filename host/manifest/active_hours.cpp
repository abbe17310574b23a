#include "manifest/active_hours.hpp"

#include <cstdio>

namespace idsync::manifest {

namespace {

// "HH:mm" at the start of `text`, as minutes after midnight.
std::optional<std::chrono::minutes> time_of_day(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  for (std::size_t i : {0, 1, 3, 4})
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  const int h = (text[0] - '0') * 10 + (text[1] - '0');
  const int m = (text[3] - '0') * 10 + (text[4] - '0');
  if (h > 23 || m > 59) return std::nullopt;
  return std::chrono::minutes(h * 60 + m);
}

}  // namespace

bool ActiveHours::contains(std::chrono::minutes t) const {
  if (from < to) return t >= from && t < to;
  return t >= from || t < to;  // over midnight
}

std::optional<ActiveHours> parse_active_hours(std::string_view text) {
  if (text.size() != 11 || text[5] != '-') return std::nullopt;
  const auto from = time_of_day(text.substr(0, 5)), to = time_of_day(text.substr(6));
  if (!from || !to || *from == *to) return std::nullopt;
  return ActiveHours{*from, *to};
}

std::string format_active_hours(const ActiveHours& hours) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d:%02d-%02d:%02d", static_cast<int>(hours.from.count() / 60),
                static_cast<int>(hours.from.count() % 60), static_cast<int>(hours.to.count() / 60),
                static_cast<int>(hours.to.count() % 60));
  return buf;
}

}  // namespace idsync::manifest
