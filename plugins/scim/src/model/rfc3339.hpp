// Instants as SCIM writes them (RFC 3339 / xsd:dateTime) and as HTTP's Date header gives them,
// for the delta import's watermark.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace idsync::scim {

using Instant = std::chrono::sys_seconds;

// "2024-05-01T12:00:00Z", "2024-05-01T12:00:00.123Z", "2024-05-01T14:00:00+02:00" (fractions
// are dropped: a watermark rounds down, which only reads a little more). nullopt otherwise.
std::optional<Instant> parse_rfc3339(std::string_view text);

// "2024-05-01T12:00:00Z".
std::string format_rfc3339(Instant instant);

// An HTTP Date header ("Wed, 01 May 2024 12:00:00 GMT", or the two obsolete forms).
std::optional<Instant> parse_http_date(std::string_view text);

}  // namespace idsync::scim
