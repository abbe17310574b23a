// The daemon's log lines: JSON lines stay one valid object per line whatever the message holds.
#include "common/log_lines.hpp"

#include <spdlog/details/log_msg.h>

#include <catch2/catch.hpp>

using namespace idsync::common;

namespace {

std::string formatted(LogLineFormat format, std::string_view message) {
  const auto f = make_log_formatter(format);
  const spdlog::details::log_msg msg(spdlog::source_loc{}, "idsyncd", spdlog::level::warn,
                                     spdlog::string_view_t(message.data(), message.size()));
  spdlog::memory_buf_t out;
  f->format(msg, out);
  return std::string(out.data(), out.size());
}

}  // namespace

TEST_CASE("JSON escaping of log messages") {
  CHECK(json_escaped("plain") == "plain");
  CHECK(json_escaped("a \"quoted\" \\ path") == "a \\\"quoted\\\" \\\\ path");
  CHECK(json_escaped("two\nlines\r\tand\x01") == "two\\nlines\\r\\tand\\u0001");
  CHECK(json_escaped("caf\xc3\xa9") == "caf\xc3\xa9");  // UTF-8 passes as it is
}

TEST_CASE("a log line in each format") {
  const std::string json = formatted(LogLineFormat::kJson, "object \"cn=a\nb\" failed");
  CHECK_THAT(json, Catch::StartsWith("{\"time\":\""));
  CHECK_THAT(json,
             Catch::Contains("\"level\":\"warning\",\"logger\":\"idsyncd\",\"message\":\"object "
                             "\\\"cn=a\\nb\\\" failed\"}"));
  CHECK(json.find('\n') == json.size() - 1);  // one line: only the terminator
  const std::string text = formatted(LogLineFormat::kText, "started");
  CHECK_THAT(text, Catch::Matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z warning "
                                  "started\\s*"));
}
