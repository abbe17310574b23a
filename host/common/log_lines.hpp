// The daemon's log line formats: text for people, JSON Lines for log collectors. Both carry
// the time (UTC, milliseconds), the level and the message; JSON escapes the message, so a
// quote or a newline in an object's name cannot break a line apart.
#pragma once

#include <spdlog/formatter.h>

#include <memory>
#include <string>

namespace idsync::common {

enum class LogLineFormat { kText, kJson };

// A formatter for `format`: text "2026-11-21T12:00:03.123Z info message", JSON
// {"time":"2026-11-21T12:00:03.123Z","level":"info","logger":"idsyncd","message":"..."}.
std::unique_ptr<spdlog::formatter> make_log_formatter(LogLineFormat format);

// `text` as the inside of a JSON string (quotes, backslashes and control characters escaped;
// bytes of other UTF-8 pass as they are).
std::string json_escaped(std::string_view text);

}  // namespace idsync::common
