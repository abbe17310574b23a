// The Retry-After response field (RFC 9110, section 10.2.3), which services send with 429
// and 503 answers: either a number of seconds or an HTTP-date.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace idsync::http {

// The delay the server asks for. `value` is the field value; surrounding whitespace is ignored.
// Accepts delay-seconds (digits only; absurdly long numbers saturate at about 34 years, which
// every caller treats as "too long") and the three HTTP-date forms a recipient must accept
// (IMF-fixdate, RFC 850 and asctime), all in GMT. A date at or before `now` gives zero: the
// server allows the retry already. Anything else (negative or fractional numbers, other text,
// impossible dates) gives nullopt, and the caller falls back to its own backoff.
std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view value, std::chrono::system_clock::time_point now);

}  // namespace idsync::http
