// The daily window in which the scheduler may start cycles, as OLSync's scheduled task had one
// ("every 2 hours from 08:00 to 20:00"): written "HH:mm-HH:mm" in the host's local time, the
// clock the admin reads. The interval between cycles stays the scheduler's own
// (CurrentlyEffectiveSyncCycleInterval); the window only says when a start may fall.
#ifndef IDSYNC_MANIFEST_ACTIVE_HOURS_HPP
#define IDSYNC_MANIFEST_ACTIVE_HOURS_HPP

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace idsync::manifest {

inline constexpr std::string_view kActiveHoursSyntax =
    "expected a window \"HH:mm-HH:mm\" (HH 00-23, mm 00-59), e.g. \"08:00-20:00\"";

struct ActiveHours {
  // Minutes after local midnight. `from` is the first minute in the window, `to` the first
  // minute after it; `to` before `from` is a window over midnight ("22:00-06:00").
  std::chrono::minutes from{0};
  std::chrono::minutes to{0};
  bool operator==(const ActiveHours&) const = default;
  // Whether a local time of day (minutes after midnight, 0..1439) lies in the window.
  bool contains(std::chrono::minutes time_of_day) const;
};

// Parses "HH:mm-HH:mm" exactly (two digits each, no spaces). Refuses an empty window
// ("08:00-08:00"): a window that never opens would silently stop every scheduled cycle.
std::optional<ActiveHours> parse_active_hours(std::string_view text);
std::string format_active_hours(const ActiveHours& hours);

}  // namespace idsync::manifest

#endif  // IDSYNC_MANIFEST_ACTIVE_HOURS_HPP
