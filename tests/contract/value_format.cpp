#include "contract/value_format.hpp"

#include <charconv>
#include <cstdint>

#include "contract/text.hpp"

namespace idsync::contract {

namespace {

bool digits(std::string_view s, std::size_t pos, std::size_t count, int min, int max) {
  if (pos + count > s.size()) return false;
  int v = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  return v >= min && v <= max;
}

// YYYY-MM-DDTHH:MM:SS[.fraction]Z: RFC 3339 restricted to UTC, as the ABI asks. Seconds up to
// 60 for a leap second.
bool is_rfc3339_utc(std::string_view s) {
  if (s.size() < 20) return false;
  if (!digits(s, 0, 4, 0, 9999) || s[4] != '-' || !digits(s, 5, 2, 1, 12) || s[7] != '-' ||
      !digits(s, 8, 2, 1, 31) || (s[10] != 'T' && s[10] != 't') || !digits(s, 11, 2, 0, 23) ||
      s[13] != ':' || !digits(s, 14, 2, 0, 59) || s[16] != ':' || !digits(s, 17, 2, 0, 60))
    return false;
  std::size_t i = 19;
  if (s[i] == '.') {
    const std::size_t start = ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == start) return false;
  }
  return i + 1 == s.size() && (s[i] == 'Z' || s[i] == 'z');
}

}  // namespace

std::optional<std::string> value_problem(idsync_value_type type, std::string_view value) {
  switch (type) {
    case IDSYNC_VALUE_STRING:
      if (!is_valid_utf8(value)) return "expected UTF-8 text";
      return std::nullopt;
    case IDSYNC_VALUE_BINARY:
      return std::nullopt;
    case IDSYNC_VALUE_INTEGER: {
      int64_t parsed = 0;
      const char* end = value.data() + value.size();
      const auto [ptr, ec] = std::from_chars(value.data(), end, parsed);
      if (value.empty() || ec != std::errc() || ptr != end)
        return "expected the decimal text of a signed 64-bit integer, e.g. \"-42\"";
      return std::nullopt;
    }
    case IDSYNC_VALUE_BOOLEAN:
      if (value != "true" && value != "false") return "expected \"true\" or \"false\"";
      return std::nullopt;
    case IDSYNC_VALUE_REFERENCE:
      if (value.empty()) return "expected a DN or anchor, found an empty reference";
      return std::nullopt;
    case IDSYNC_VALUE_DATETIME:
      if (!is_rfc3339_utc(value))
        return "expected RFC 3339 UTC text, e.g. \"2026-01-31T12:00:00Z\"";
      return std::nullopt;
  }
  return std::nullopt;
}

bool is_known_value_type(idsync_value_type type) { return type <= IDSYNC_VALUE_DATETIME; }

bool is_known_attr_op(idsync_attr_op op) { return op <= IDSYNC_ATTR_REMOVE; }

std::string value_type_name(idsync_value_type type) {
  switch (type) {
    case IDSYNC_VALUE_STRING:
      return "STRING";
    case IDSYNC_VALUE_BINARY:
      return "BINARY";
    case IDSYNC_VALUE_INTEGER:
      return "INTEGER";
    case IDSYNC_VALUE_BOOLEAN:
      return "BOOLEAN";
    case IDSYNC_VALUE_REFERENCE:
      return "REFERENCE";
    case IDSYNC_VALUE_DATETIME:
      return "DATETIME";
  }
  return "undefined value type " + std::to_string(type);
}

}  // namespace idsync::contract
