// Scheduler intervals in the syntax Entra Connect's Get-ADSyncScheduler shows and
// Set-ADSyncScheduler takes (.NET TimeSpan "c" format without fractions): "d.HH:mm:ss" or
// "HH:mm:ss", e.g. "7.00:00:00" for a week and "00:30:00" for half an hour.
#ifndef IDSYNC_MANIFEST_INTERVALS_HPP
#define IDSYNC_MANIFEST_INTERVALS_HPP

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace idsync::manifest {

// The message for text that does not parse; it states the expected syntax.
inline constexpr std::string_view kIntervalSyntax =
    "expected an interval \"d.HH:mm:ss\" or \"HH:mm:ss\" (HH 0-23, mm and ss 0-59), e.g. "
    "\"00:30:00\"";

// Parses "d.HH:mm:ss" (d: 1 to 6 digits) or "HH:mm:ss". HH, mm and ss are one or two digits
// each ("1.0:0:0" is a day, as Entra Connect's documentation writes it), HH at most 23 and mm,
// ss at most 59, as in .NET. Returns nothing for anything else, including surrounding spaces,
// signs and fractional seconds.
std::optional<std::chrono::seconds> parse_interval(std::string_view text);

// The inverse: "HH:mm:ss" below a day, "d.HH:mm:ss" from a day on. `s` must not be negative.
std::string format_interval(std::chrono::seconds s);

}  // namespace idsync::manifest

#endif  // IDSYNC_MANIFEST_INTERVALS_HPP
