#include <catch2/catch.hpp>

#include "manifest/intervals.hpp"

using idsync::manifest::format_interval;
using idsync::manifest::parse_interval;
using std::chrono::seconds;

TEST_CASE("intervals parse Entra Connect HH:mm:ss and d.HH:mm:ss", "[intervals]") {
  CHECK(parse_interval("00:30:00") == seconds(30 * 60));
  CHECK(parse_interval("00:00:01") == seconds(1));
  CHECK(parse_interval("23:59:59") == seconds(86399));
  CHECK(parse_interval("7.00:00:00") == seconds(7 * 86400));
  CHECK(parse_interval("1.02:03:04") == seconds(86400 + 2 * 3600 + 3 * 60 + 4));
  CHECK(parse_interval("0.00:30:00") == seconds(1800));
  CHECK(parse_interval("999999.23:59:59") == seconds(999999LL * 86400 + 86399));
  // One digit per component, as the Set-ADSyncScheduler examples write a day.
  CHECK(parse_interval("1.0:0:0") == seconds(86400));
  CHECK(parse_interval("3:0:0") == seconds(3 * 3600));
  CHECK(parse_interval("0:30:00") == seconds(1800));
}

TEST_CASE("intervals refuse anything outside the syntax", "[intervals]") {
  for (const char* bad : {"",
                          "30",
                          "30m",
                          "00:30",
                          "000:30:00",
                          "00::00",
                          "00:60:00",
                          "00:00:60",
                          "24:00:00",
                          "-00:30:00",
                          " 00:30:00",
                          "00:30:00 ",
                          "00:30:00.5",
                          ".00:30:00",
                          "a.00:30:00",
                          "1234567.00:00:00",
                          "1.2.00:00:00",
                          "00-30-00",
                          "1.24:00:00",
                          "1.:0:0",
                          "0:0:0:0",
                          "+1:00:00"}) {
    INFO("text: \"" << bad << "\"");
    CHECK_FALSE(parse_interval(bad).has_value());
  }
}

TEST_CASE("intervals format back to the same syntax", "[intervals]") {
  CHECK(format_interval(seconds(1800)) == "00:30:00");
  CHECK(format_interval(seconds(0)) == "00:00:00");
  CHECK(format_interval(seconds(86399)) == "23:59:59");
  CHECK(format_interval(seconds(7 * 86400)) == "7.00:00:00");
  CHECK(format_interval(seconds(86400 + 3723)) == "1.01:02:03");
  for (const char* text : {"00:30:00", "7.00:00:00", "12.13:14:15"})
    CHECK(format_interval(*parse_interval(text)) == text);
}
