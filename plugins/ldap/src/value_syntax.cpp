#include "value_syntax.hpp"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <unordered_map>

namespace idsync::ldap {
namespace {

const std::unordered_map<std::string_view, idsync_value_type>& syntax_types() {
  static const std::unordered_map<std::string_view, idsync_value_type> kTypes = {
      {"1.3.6.1.4.1.1466.115.121.1.12", IDSYNC_VALUE_REFERENCE},  // DN
      {"1.3.6.1.4.1.1466.115.121.1.27", IDSYNC_VALUE_INTEGER},    // Integer
      {"1.2.840.113556.1.4.906", IDSYNC_VALUE_INTEGER},           // AD Large Integer
      {"1.3.6.1.4.1.1466.115.121.1.7", IDSYNC_VALUE_BOOLEAN},     // Boolean
      {"1.3.6.1.4.1.1466.115.121.1.24", IDSYNC_VALUE_DATETIME},   // Generalized Time
      {"1.3.6.1.4.1.1466.115.121.1.53", IDSYNC_VALUE_DATETIME},   // UTC Time
      {"1.3.6.1.4.1.1466.115.121.1.4", IDSYNC_VALUE_BINARY},      // Audio
      {"1.3.6.1.4.1.1466.115.121.1.5", IDSYNC_VALUE_BINARY},      // Binary
      {"1.3.6.1.4.1.1466.115.121.1.8", IDSYNC_VALUE_BINARY},      // Certificate
      {"1.3.6.1.4.1.1466.115.121.1.9", IDSYNC_VALUE_BINARY},      // Certificate List
      {"1.3.6.1.4.1.1466.115.121.1.10", IDSYNC_VALUE_BINARY},     // Certificate Pair
      {"1.3.6.1.4.1.1466.115.121.1.23", IDSYNC_VALUE_BINARY},     // Fax
      {"1.3.6.1.4.1.1466.115.121.1.28", IDSYNC_VALUE_BINARY},     // JPEG
      {"1.3.6.1.4.1.1466.115.121.1.40", IDSYNC_VALUE_BINARY},     // Octet String
      {"1.3.6.1.4.1.1466.115.121.1.49", IDSYNC_VALUE_BINARY},     // Supported Algorithm
      {"1.2.840.113556.1.4.907", IDSYNC_VALUE_BINARY},            // AD NT-Sec-Desc
  };
  return kTypes;
}

// A point in time being converted: the civil fields as read, then the UTC offset to undo.
struct TimeFields {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  int64_t extra_seconds = 0;   // from a fraction of an hour or a minute
  int64_t offset_seconds = 0;  // local time minus UTC
};

// Reads fixed-width decimal fields off the front of a text; every failure is reported as the
// whole text being malformed, since callers only need to know that it is not a valid time.
class Cursor {
 public:
  Cursor(std::string_view text, const char* syntax) : text_(text), rest_(text), syntax_(syntax) {}

  [[noreturn]] void fail(const char* why = nullptr) const {
    std::string message = "'" + std::string(text_) + "' is not " + syntax_;
    if (why) message += std::string(": ") + why;
    throw std::invalid_argument(message);
  }
  bool at_end() const { return rest_.empty(); }
  bool next_is_digit() const { return !rest_.empty() && rest_[0] >= '0' && rest_[0] <= '9'; }
  bool take(char c) {
    if (rest_.empty() || rest_[0] != c) return false;
    rest_.remove_prefix(1);
    return true;
  }
  void expect(char c) {
    if (!take(c)) fail();
  }
  int digits(std::size_t n, int min, int max) {
    if (rest_.size() < n) fail();
    int value = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (rest_[i] < '0' || rest_[i] > '9') fail();
      value = value * 10 + (rest_[i] - '0');
    }
    rest_.remove_prefix(n);
    if (value < min || value > max) fail("a field is out of range");
    return value;
  }
  // One or more digits after a '.' or ','; returns them as the text they are.
  std::string_view fraction() {
    std::size_t n = 0;
    while (n < rest_.size() && rest_[n] >= '0' && rest_[n] <= '9') ++n;
    if (n == 0) fail();
    const std::string_view out = rest_.substr(0, n);
    rest_.remove_prefix(n);
    return out;
  }

 private:
  std::string_view text_;
  std::string_view rest_;
  const char* syntax_;
};

// floor(0.<digits> * unit_seconds), without floating point.
int64_t fraction_of(std::string_view digits, int64_t unit_seconds) {
  int64_t numerator = 0, denominator = 1;
  for (std::size_t i = 0; i < digits.size() && i < 9; ++i) {  // beyond 1 ns changes nothing
    numerator = numerator * 10 + (digits[i] - '0');
    denominator *= 10;
  }
  return numerator * unit_seconds / denominator;
}

// Resolves the fields to UTC, checking the date exists; fills `utc` with civil UTC fields.
void to_utc(const TimeFields& f, Cursor& cursor, TimeFields& utc) {
  using namespace std::chrono;
  const year_month_day date{year{f.year}, month{static_cast<unsigned>(f.month)},
                            day{static_cast<unsigned>(f.day)}};
  if (!date.ok()) cursor.fail("no such date");
  const int64_t seconds = static_cast<int64_t>(sys_days{date}.time_since_epoch().count()) * 86400 +
                          f.hour * 3600 + f.minute * 60 + f.second + f.extra_seconds -
                          f.offset_seconds;
  int64_t days_since_epoch = seconds / 86400;
  int64_t second_of_day = seconds % 86400;
  if (second_of_day < 0) {
    second_of_day += 86400;
    --days_since_epoch;
  }
  const year_month_day out{sys_days{days{days_since_epoch}}};
  utc.year = static_cast<int>(out.year());
  if (utc.year < 0 || utc.year > 9999) cursor.fail("the year is out of range once in UTC");
  utc.month = static_cast<int>(static_cast<unsigned>(out.month()));
  utc.day = static_cast<int>(static_cast<unsigned>(out.day()));
  utc.hour = static_cast<int>(second_of_day / 3600);
  utc.minute = static_cast<int>(second_of_day / 60 % 60);
  utc.second = static_cast<int>(second_of_day % 60);
}

std::string format_rfc3339(const TimeFields& t) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", t.year, t.month, t.day, t.hour,
                t.minute, t.second);
  return buf;
}

// How each syntax writes its zone: "Z" or a signed offset from UTC.
enum class ZoneStyle {
  generalized,  // Z, +hh or +hhmm
  utc_time,     // Z or +hhmm
  rfc3339,      // Z, z or +hh:mm
};

// Reads the zone and returns local time minus UTC, in seconds.
int64_t read_zone(Cursor& c, ZoneStyle style) {
  if (c.take('Z') || (style == ZoneStyle::rfc3339 && c.take('z'))) return 0;
  int sign = 0;
  if (c.take('+')) {
    sign = 1;
  } else if (c.take('-')) {
    sign = -1;
  } else {
    c.fail("no time zone");
  }
  const int hours = c.digits(2, 0, 23);
  int minutes = 0;
  if (style == ZoneStyle::rfc3339) {
    c.expect(':');
    minutes = c.digits(2, 0, 59);
  } else if (style == ZoneStyle::utc_time || c.next_is_digit()) {
    minutes = c.digits(2, 0, 59);
  }
  return sign * (hours * 3600 + minutes * 60);
}

}  // namespace

idsync_value_type value_type_for_syntax(std::string_view syntax_oid) {
  // Schema text may write "1.3.6...{64}" or, as Samba does, quote the OID.
  if (const std::size_t brace = syntax_oid.find('{'); brace != std::string_view::npos) {
    syntax_oid = syntax_oid.substr(0, brace);
  }
  while (!syntax_oid.empty() && (syntax_oid.front() == '\'' || syntax_oid.front() == ' ')) {
    syntax_oid.remove_prefix(1);
  }
  while (!syntax_oid.empty() && (syntax_oid.back() == '\'' || syntax_oid.back() == ' ')) {
    syntax_oid.remove_suffix(1);
  }
  const auto& types = syntax_types();
  const auto it = types.find(syntax_oid);
  return it == types.end() ? IDSYNC_VALUE_STRING : it->second;
}

std::string generalized_time_to_rfc3339(std::string_view text) {
  Cursor c(text, "a Generalized Time");
  TimeFields f;
  f.year = c.digits(4, 0, 9999);
  f.month = c.digits(2, 1, 12);
  f.day = c.digits(2, 1, 31);
  f.hour = c.digits(2, 0, 23);
  int64_t unit = 3600;  // the unit a fraction applies to: the last field present
  if (c.next_is_digit()) {
    f.minute = c.digits(2, 0, 59);
    unit = 60;
    if (c.next_is_digit()) {
      f.second = c.digits(2, 0, 60);
      unit = 1;
    }
  }
  if (c.take('.') || c.take(',')) f.extra_seconds = fraction_of(c.fraction(), unit);
  f.offset_seconds = read_zone(c, ZoneStyle::generalized);
  if (!c.at_end()) c.fail();
  TimeFields utc;
  to_utc(f, c, utc);
  return format_rfc3339(utc);
}

std::string utc_time_to_rfc3339(std::string_view text) {
  Cursor c(text, "a UTC Time");
  TimeFields f;
  const int yy = c.digits(2, 0, 99);
  f.year = yy >= 50 ? 1900 + yy : 2000 + yy;
  f.month = c.digits(2, 1, 12);
  f.day = c.digits(2, 1, 31);
  f.hour = c.digits(2, 0, 23);
  f.minute = c.digits(2, 0, 59);
  if (c.next_is_digit()) f.second = c.digits(2, 0, 59);
  f.offset_seconds = read_zone(c, ZoneStyle::utc_time);
  if (!c.at_end()) c.fail();
  TimeFields utc;
  to_utc(f, c, utc);
  return format_rfc3339(utc);
}

std::string rfc3339_to_generalized_time(std::string_view text) {
  Cursor c(text, "an RFC 3339 date-time");
  TimeFields f;
  f.year = c.digits(4, 0, 9999);
  c.expect('-');
  f.month = c.digits(2, 1, 12);
  c.expect('-');
  f.day = c.digits(2, 1, 31);
  if (!c.take('T') && !c.take('t')) c.fail();
  f.hour = c.digits(2, 0, 23);
  c.expect(':');
  f.minute = c.digits(2, 0, 59);
  c.expect(':');
  f.second = c.digits(2, 0, 60);
  if (c.take('.')) c.fraction();  // dropped: Active Directory keeps whole seconds
  f.offset_seconds = read_zone(c, ZoneStyle::rfc3339);
  if (!c.at_end()) c.fail();
  TimeFields utc;
  to_utc(f, c, utc);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d%02d%02d%02d%02d%02d.0Z", utc.year, utc.month, utc.day,
                utc.hour, utc.minute, utc.second);
  return buf;
}

}  // namespace idsync::ldap
