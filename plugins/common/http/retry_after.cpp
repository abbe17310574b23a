#include "http/retry_after.hpp"

#include <array>
#include <cstdint>

namespace idsync::http {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr int64_t kMaxSeconds = int64_t{1} << 30;  // about 34 years

constexpr std::array<std::string_view, 7> kShortDays = {"Mon", "Tue", "Wed", "Thu",
                                                        "Fri", "Sat", "Sun"};
constexpr std::array<std::string_view, 7> kLongDays = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// A small cursor over the date text; every reader fails without moving on a mismatch.
class Reader {
 public:
  explicit Reader(std::string_view s) : s_(s) {}
  bool done() const { return s_.empty(); }
  bool literal(std::string_view text) {
    if (s_.substr(0, text.size()) != text) return false;
    s_.remove_prefix(text.size());
    return true;
  }
  // Exactly `width` digits.
  bool number(int width, int& out) {
    if (static_cast<int>(s_.size()) < width) return false;
    int value = 0;
    for (int i = 0; i < width; ++i) {
      if (!is_digit(s_[i])) return false;
      value = value * 10 + (s_[i] - '0');
    }
    s_.remove_prefix(width);
    out = value;
    return true;
  }
  template <std::size_t N>
  bool one_of(const std::array<std::string_view, N>& names, int* index = nullptr) {
    for (std::size_t i = 0; i < N; ++i)
      if (literal(names[i])) {
        if (index) *index = static_cast<int>(i);
        return true;
      }
    return false;
  }

 private:
  std::string_view s_;
};

struct DateTime {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
};

bool read_time(Reader& r, DateTime& t) {
  return r.number(2, t.hour) && r.literal(":") && r.number(2, t.minute) && r.literal(":") &&
         r.number(2, t.second);
}

// "Sun, 06 Nov 1994 08:49:37 GMT"
bool read_imf_fixdate(std::string_view text, DateTime& t) {
  Reader r(text);
  int month = 0;
  if (!(r.one_of(kShortDays) && r.literal(", ") && r.number(2, t.day) && r.literal(" ") &&
        r.one_of(kMonths, &month) && r.literal(" ") && r.number(4, t.year) && r.literal(" ") &&
        read_time(r, t) && r.literal(" GMT") && r.done()))
    return false;
  t.month = month + 1;
  return true;
}

// "Sunday, 06-Nov-94 08:49:37 GMT"; the two-digit year is resolved by the caller.
bool read_rfc850_date(std::string_view text, DateTime& t) {
  Reader r(text);
  int month = 0;
  if (!(r.one_of(kLongDays) && r.literal(", ") && r.number(2, t.day) && r.literal("-") &&
        r.one_of(kMonths, &month) && r.literal("-") && r.number(2, t.year) && r.literal(" ") &&
        read_time(r, t) && r.literal(" GMT") && r.done()))
    return false;
  t.month = month + 1;
  return true;
}

// "Sun Nov  6 08:49:37 1994": the day is space-padded to two characters.
bool read_asctime_date(std::string_view text, DateTime& t) {
  Reader r(text);
  int month = 0;
  if (!(r.one_of(kShortDays) && r.literal(" ") && r.one_of(kMonths, &month) && r.literal(" ")))
    return false;
  if (!(r.literal(" ") ? r.number(1, t.day) : r.number(2, t.day))) return false;
  if (!(r.literal(" ") && read_time(r, t) && r.literal(" ") && r.number(4, t.year) && r.done()))
    return false;
  t.month = month + 1;
  return true;
}

std::optional<std::chrono::system_clock::time_point> to_time_point(const DateTime& t) {
  const std::chrono::year_month_day date{std::chrono::year{t.year},
                                         std::chrono::month{static_cast<unsigned>(t.month)},
                                         std::chrono::day{static_cast<unsigned>(t.day)}};
  // 60 seconds is a leap second, which the HTTP-date grammar allows.
  if (!date.ok() || t.hour > 23 || t.minute > 59 || t.second > 60) return std::nullopt;
  return std::chrono::sys_days{date} + std::chrono::hours{t.hour} + std::chrono::minutes{t.minute} +
         seconds{t.second};
}

// RFC 9110, 5.6.7: a two-digit year that would be more than 50 years in the future is the most
// recent past year with the same last two digits.
int resolve_two_digit_year(int yy, std::chrono::system_clock::time_point now) {
  const int current = static_cast<int>(
      std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(now)}.year());
  int year = current - current % 100 + yy;
  if (year > current + 50) year -= 100;
  return year;
}

}  // namespace

std::optional<milliseconds> parse_retry_after(std::string_view value,
                                              std::chrono::system_clock::time_point now) {
  value = trim(value);
  if (value.empty()) return std::nullopt;

  if (is_digit(value.front())) {
    int64_t secs = 0;
    for (const char c : value) {
      if (!is_digit(c)) return std::nullopt;
      secs = secs * 10 + (c - '0');
      if (secs > kMaxSeconds) secs = kMaxSeconds;
    }
    return milliseconds{seconds{secs}};
  }

  DateTime t;
  bool parsed = read_imf_fixdate(value, t) || read_asctime_date(value, t);
  if (!parsed && read_rfc850_date(value, t)) {
    t.year = resolve_two_digit_year(t.year, now);
    parsed = true;
  }
  if (!parsed) return std::nullopt;
  const auto when = to_time_point(t);
  if (!when) return std::nullopt;
  if (*when <= now) return milliseconds{0};
  // Round up: waiting a little longer than asked is harmless, shorter is not.
  return std::chrono::ceil<milliseconds>(*when - now);
}

}  // namespace idsync::http
