#include <catch2/catch.hpp>

#include "http/retry_after.hpp"

using idsync::http::parse_retry_after;
using std::chrono::milliseconds;

namespace {

// Sun, 06 Nov 1994 08:49:37 GMT, the example date of RFC 9110.
const std::chrono::system_clock::time_point kExample{std::chrono::seconds{784111777}};

}  // namespace

TEST_CASE("Retry-After delay-seconds", "[retry_after]") {
  const auto now = kExample;
  CHECK(parse_retry_after("120", now) == milliseconds{120000});
  CHECK(parse_retry_after("0", now) == milliseconds{0});
  CHECK(parse_retry_after("  3 \t", now) == milliseconds{3000});
  // Far too long: saturates instead of overflowing, and stays "very long".
  const auto huge = parse_retry_after("99999999999999999999999999", now);
  REQUIRE(huge);
  CHECK(*huge > milliseconds{std::chrono::hours{24 * 365 * 30}});
}

TEST_CASE("Retry-After HTTP-date in all three forms", "[retry_after]") {
  const auto now = kExample - std::chrono::seconds{90};
  CHECK(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now) == milliseconds{90000});
  CHECK(parse_retry_after("Sunday, 06-Nov-94 08:49:37 GMT", now) == milliseconds{90000});
  CHECK(parse_retry_after("Sun Nov  6 08:49:37 1994", now) == milliseconds{90000});
  // A date less than a second ahead is rounded up, never down to "now".
  CHECK(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", kExample - milliseconds{250}) ==
        milliseconds{250});
}

TEST_CASE("Retry-After dates in the past allow the retry at once", "[retry_after]") {
  CHECK(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", kExample) == milliseconds{0});
  CHECK(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", kExample + std::chrono::hours{5}) ==
        milliseconds{0});
  CHECK(parse_retry_after("Thu, 01 Jan 1970 00:00:00 GMT", kExample) == milliseconds{0});
}

TEST_CASE("Retry-After RFC 850 two-digit years are the nearest century", "[retry_after]") {
  // From 2024, "30" is 2030 (within 50 years ahead) and "94" is 1994.
  const std::chrono::system_clock::time_point now_2024{std::chrono::seconds{1714564800}};
  const auto in_2030 = parse_retry_after("Tuesday, 01-Jan-30 00:00:00 GMT", now_2024);
  REQUIRE(in_2030);
  CHECK(*in_2030 > milliseconds{std::chrono::hours{24 * 365 * 5}});
  CHECK(parse_retry_after("Sunday, 06-Nov-94 08:49:37 GMT", now_2024) == milliseconds{0});
}

TEST_CASE("Retry-After garbage is not a delay", "[retry_after]") {
  const auto now = kExample;
  for (const char* bad : {"", "  ", "-5", "1.5", "5s", "soon", "0x10",
                          "Sun, 06 Nov 1994 08:49:37 UTC",  // not GMT
                          "Sun, 31 Feb 1994 08:49:37 GMT",  // no such day
                          "Sun, 06 Nov 1994 25:49:37 GMT",  // no such hour
                          "Sun, 06 Foo 1994 08:49:37 GMT",  // no such month
                          "Sun, 6 Nov 1994 08:49:37 GMT",   // day must have two digits
                          "Sun, 06 Nov 1994 08:49:37 GMT x"}) {
    INFO(bad);
    CHECK_FALSE(parse_retry_after(bad, now));
  }
}
