// When the next scheduled cycle starts. Pure functions of the settings and the time, so that
// the scheduler's behaviour is tested with any clock, without sleeping.
//
// Entra Connect's rules, which idsync keeps:
//   - the effective interval is the customized one, but never below the allowed one (the
//     floor); without a customized interval it is the allowed one;
//   - the next cycle is due one effective interval after the last one started; a cycle that
//     ran longer than the interval is followed at once; before any cycle ran, one is due now;
//   - changing a setting changes the next start at once, since it is derived, not stored.
// Beyond Entra Connect, OLSync's window: with active hours, a start that falls outside the
// window moves to the window's next opening (local time; daylight saving time moves the
// opening with the clock on the wall).
#pragma once

#include <chrono>
#include <optional>

#include "manifest/active_hours.hpp"

namespace idsync::scheduler {

using TimePoint = std::chrono::system_clock::time_point;

std::chrono::seconds effective_interval(std::chrono::seconds allowed,
                                        const std::optional<std::chrono::seconds>& customized);

// The first moment at or after `t` inside the window (t itself when there is no window).
TimePoint place_in_window(TimePoint t, const std::optional<manifest::ActiveHours>& window);

TimePoint next_cycle_start(const std::optional<TimePoint>& last_started,
                           std::chrono::seconds effective,
                           const std::optional<manifest::ActiveHours>& window, TimePoint now);

}  // namespace idsync::scheduler
