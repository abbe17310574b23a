#include "scheduler/schedule.hpp"

#include <ctime>

namespace idsync::scheduler {

std::chrono::seconds effective_interval(std::chrono::seconds allowed,
                                        const std::optional<std::chrono::seconds>& customized) {
  return customized && *customized > allowed ? *customized : allowed;
}

TimePoint place_in_window(TimePoint t, const std::optional<manifest::ActiveHours>& window) {
  if (!window) return t;
  const std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm local{};
  localtime_r(&secs, &local);
  if (window->contains(std::chrono::minutes(local.tm_hour * 60 + local.tm_min))) return t;
  // Outside: the next opening is today's when it is still ahead, else tomorrow's. mktime
  // normalizes a day past the month's end and finds the UTC offset of that local time.
  std::tm opening = local;
  opening.tm_hour = static_cast<int>(window->from.count() / 60);
  opening.tm_min = static_cast<int>(window->from.count() % 60);
  opening.tm_sec = 0;
  opening.tm_isdst = -1;
  std::time_t at = std::mktime(&opening);
  if (at <= secs) {
    opening = local;
    opening.tm_mday += 1;
    opening.tm_hour = static_cast<int>(window->from.count() / 60);
    opening.tm_min = static_cast<int>(window->from.count() % 60);
    opening.tm_sec = 0;
    opening.tm_isdst = -1;
    at = std::mktime(&opening);
  }
  return std::chrono::system_clock::from_time_t(at);
}

TimePoint next_cycle_start(const std::optional<TimePoint>& last_started,
                           std::chrono::seconds effective,
                           const std::optional<manifest::ActiveHours>& window, TimePoint now) {
  TimePoint due = last_started ? *last_started + effective : now;
  if (due < now) due = now;
  return place_in_window(due, window);
}

}  // namespace idsync::scheduler
