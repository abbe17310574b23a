// Date/time functions: Now, DateAdd, FormatDateTime. Date/times are UTC, held as
// microseconds since the Unix epoch; text arguments are read as RFC 3339.
#include <chrono>
#include <cstdio>

#include "expressions/context.hpp"
#include "expressions/function_support.hpp"
#include "expressions/functions.hpp"

namespace idsync::expr::detail {
namespace {

using namespace std::chrono;

constexpr std::int64_t kSecond = 1'000'000;

struct Civil {
  year_month_day ymd;
  std::int64_t time_of_day;  // microseconds
};

Civil split(std::int64_t micros) {
  sys_time<microseconds> tp{microseconds{micros}};
  sys_days d = floor<days>(tp);
  return {year_month_day{d}, (tp - d).count()};
}

std::int64_t join(const Civil& c) {
  return duration_cast<microseconds>(sys_days{c.ymd}.time_since_epoch()).count() + c.time_of_day;
}

// Adds months the way VBA's DateAdd does: the day is clamped to the end of a shorter month
// (DateAdd("m", 1, 2024-01-31) is 2024-02-29).
std::int64_t add_months(std::int64_t micros, std::int64_t months) {
  Civil c = split(micros);
  year_month_day ymd = c.ymd + std::chrono::months{months};
  if (!ymd.ok()) ymd = year_month_day_last{ymd.year(), month_day_last{ymd.month()}};
  c.ymd = ymd;
  return join(c);
}

void pad(std::string& out, std::int64_t v, int width) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%0*lld", width, static_cast<long long>(v));
  out += buf;
}

}  // namespace

Value fn_now(std::span<Value>, const Call& call) {
  return Value::datetime(call.context.now().time_since_epoch().count());
}

// DateAdd(interval, number, date): interval is one of VBA's yyyy (years), q (quarters),
// m (months), y, d, w (days), ww (weeks), h (hours), n (minutes), s (seconds).
Value fn_date_add(std::span<Value> args, const Call& call) {
  std::string interval = text_arg(args, 0, call);
  std::int64_t n = integer_arg(args, 1, call);
  if (args[2].is_null()) return {};
  std::int64_t t = datetime_arg(args, 2, call);
  constexpr std::int64_t kDay = 86400 * kSecond;
  if (interval == "yyyy") return Value::datetime(add_months(t, n * 12));
  if (interval == "q") return Value::datetime(add_months(t, n * 3));
  if (interval == "m") return Value::datetime(add_months(t, n));
  if (interval == "y" || interval == "d" || interval == "w") return Value::datetime(t + n * kDay);
  if (interval == "ww") return Value::datetime(t + n * 7 * kDay);
  if (interval == "h") return Value::datetime(t + n * 3600 * kSecond);
  if (interval == "n") return Value::datetime(t + n * 60 * kSecond);
  if (interval == "s") return Value::datetime(t + n * kSecond);
  fail_arg(call, 0,
           "unknown interval \"" + interval + "\"; expected yyyy, q, m, y, d, w, ww, h, n or s");
}

// FormatDateTime(date, format): .NET custom date/time format specifiers: yyyy yy MM M dd d
// HH H hh h mm m ss s f..fffffff tt, 'literal' or "literal" text, \c for one literal
// character; other characters are copied. FormatDateTime([pwdLastSet], "yyyyMMddHHmmss.0Z").
// Letters of no specifier (e.g. "Z") are copied.
Value fn_format_date_time(std::span<Value> args, const Call& call) {
  std::string format = text_arg(args, 1, call);
  if (args[0].is_null()) return {};
  Civil c = split(datetime_arg(args, 0, call));
  std::int64_t secs = c.time_of_day / kSecond;
  std::int64_t hour = secs / 3600, minute = secs / 60 % 60, second = secs % 60;
  std::string out;
  for (std::size_t i = 0; i < format.size();) {
    char ch = format[i];
    std::size_t run = 1;
    while (i + run < format.size() && format[i + run] == ch) ++run;
    switch (ch) {
      case 'y':
        if (run <= 2)
          pad(out, static_cast<int>(c.ymd.year()) % 100, static_cast<int>(run));
        else
          pad(out, static_cast<int>(c.ymd.year()), static_cast<int>(run));
        break;
      case 'M':
        if (run > 2) fail_arg(call, 1, "month names (MMM) are not supported");
        pad(out, static_cast<unsigned>(c.ymd.month()), static_cast<int>(run));
        break;
      case 'd':
        if (run > 2) fail_arg(call, 1, "day names (ddd) are not supported");
        pad(out, static_cast<unsigned>(c.ymd.day()), static_cast<int>(run));
        break;
      case 'H':
        pad(out, hour, static_cast<int>(std::min<std::size_t>(run, 2)));
        break;
      case 'h':
        pad(out, hour % 12 == 0 ? 12 : hour % 12, static_cast<int>(std::min<std::size_t>(run, 2)));
        break;
      case 'm':
        pad(out, minute, static_cast<int>(std::min<std::size_t>(run, 2)));
        break;
      case 's':
        pad(out, second, static_cast<int>(std::min<std::size_t>(run, 2)));
        break;
      case 'f': {
        if (run > 7) fail_arg(call, 1, "at most 7 fraction digits (fffffff)");
        std::int64_t ticks = (c.time_of_day % kSecond) * 10;  // 100 ns units, 7 digits
        for (std::size_t k = run; k < 7; ++k) ticks /= 10;
        pad(out, ticks, static_cast<int>(run));
        break;
      }
      case 't':
        out += hour < 12 ? (run == 1 ? "A" : "AM") : (run == 1 ? "P" : "PM");
        break;
      case '\'':
      case '"': {
        std::size_t close = format.find(ch, i + 1);
        if (close == std::string::npos) fail_arg(call, 1, "unterminated quoted text in the format");
        out.append(format, i + 1, close - i - 1);
        i = close + 1;
        continue;
      }
      case '\\':
        if (i + 1 < format.size()) out += format[i + 1];
        i += 2;
        continue;
      default:
        out.append(run, ch);
        break;
    }
    i += run;
  }
  return Value::string(std::move(out));
}

}  // namespace idsync::expr::detail
