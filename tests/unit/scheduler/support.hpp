// Time helpers for the scheduler's tests: fixed instants and a fixed time zone, so that
// nothing depends on when or where the tests run.
#pragma once

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <string>

namespace idsync::testing {

using SysTime = std::chrono::system_clock::time_point;

// 2026-11-21 + h:m:s UTC, and days later.
inline SysTime utc(int day, int h, int m = 0, int s = 0) {
  // 2026-11-01T00:00:00Z is 1793491200 seconds after the epoch.
  constexpr long long kNov1 = 1793491200;
  return SysTime(std::chrono::seconds(kNov1 + (day - 1) * 86400LL + h * 3600LL + m * 60 + s));
}

// Sets the process's time zone for the scope (local time is what active hours use).
class TimeZone {
 public:
  explicit TimeZone(const char* tz) {
    if (const char* old = std::getenv("TZ")) old_ = old, had_ = true;
    setenv("TZ", tz, 1);
    tzset();
  }
  ~TimeZone() {
    if (had_)
      setenv("TZ", old_.c_str(), 1);
    else
      unsetenv("TZ");
    tzset();
  }
  TimeZone(const TimeZone&) = delete;
  TimeZone& operator=(const TimeZone&) = delete;

 private:
  std::string old_;
  bool had_ = false;
};

}  // namespace idsync::testing
