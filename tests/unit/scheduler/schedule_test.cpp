// When the next cycle starts: the allowed interval as a floor, a customized interval, daily
// cycles, a cycle that overran, and active hours in local time (fixed time zones, given as
// POSIX rules so that no time zone database is needed).
#include "scheduler/schedule.hpp"

#include <catch2/catch.hpp>

#include "support.hpp"

using namespace idsync::scheduler;
using idsync::manifest::ActiveHours;
using idsync::testing::TimeZone;
using idsync::testing::utc;
using namespace std::chrono_literals;

TEST_CASE("the allowed interval is a floor under the customized one") {
  CHECK(effective_interval(30min, std::nullopt) == 30min);
  CHECK(effective_interval(30min, 10min) == 30min);  // accepted, but the floor is used
  CHECK(effective_interval(30min, 30min) == 30min);
  CHECK(effective_interval(30min, 3h) == 3h);
  CHECK(effective_interval(1h, 24h) == 24h);
}

TEST_CASE("the next cycle is due one interval after the last one started") {
  const auto now = utc(21, 10, 5);
  SECTION("before any cycle ran, one is due now") {
    CHECK(next_cycle_start(std::nullopt, 30min, std::nullopt, now) == now);
  }
  SECTION("the interval counts from the last start") {
    CHECK(next_cycle_start(utc(21, 10, 0), 30min, std::nullopt, now) == utc(21, 10, 30));
  }
  SECTION("a cycle that ran longer than the interval is followed at once") {
    CHECK(next_cycle_start(utc(21, 9, 0), 30min, std::nullopt, now) == now);
  }
  SECTION("a daily interval") {
    CHECK(next_cycle_start(utc(21, 2, 0), 24h, std::nullopt, now) == utc(22, 2, 0));
  }
}

TEST_CASE("active hours move a start outside the window to its next opening") {
  TimeZone tz("UTC0");
  const ActiveHours office{8h, 20h};
  CHECK(place_in_window(utc(21, 12, 0), office) == utc(21, 12, 0));
  CHECK(place_in_window(utc(21, 8, 0), office) == utc(21, 8, 0));
  CHECK(place_in_window(utc(21, 7, 59, 30), office) == utc(21, 8, 0));
  CHECK(place_in_window(utc(21, 20, 0), office) == utc(22, 8, 0));
  CHECK(place_in_window(utc(21, 23, 30), office) == utc(22, 8, 0));
  // Over midnight.
  const ActiveHours night{22h, 6h};
  CHECK(place_in_window(utc(21, 23, 0), night) == utc(21, 23, 0));
  CHECK(place_in_window(utc(22, 5, 59), night) == utc(22, 5, 59));
  CHECK(place_in_window(utc(22, 6, 0), night) == utc(22, 22, 0));
  CHECK(place_in_window(utc(21, 12, 0), night) == utc(21, 22, 0));
  // The end of a month.
  CHECK(place_in_window(utc(30, 21, 0), office) == utc(31, 8, 0));  // 2026-12-01T08:00Z

  SECTION("OLSync's every 2 hours from 08:00 to 20:00") {
    // Cycles at 16:00 and 18:00 follow each other; the one after 18:00 waits for the morning.
    CHECK(next_cycle_start(utc(21, 16, 0), 2h, office, utc(21, 16, 10)) == utc(21, 18, 0));
    CHECK(next_cycle_start(utc(21, 18, 0), 2h, office, utc(21, 18, 20)) == utc(22, 8, 0));
  }
}

TEST_CASE("active hours are local time") {
  // Central European time: UTC+1 in November, UTC+2 from the last Sunday of March.
  TimeZone tz("CET-1CEST,M3.5.0,M10.5.0/3");
  const ActiveHours office{8h, 20h};
  // 20:00Z is 21:00 local: the window opens at 08:00 local the next day, 07:00Z.
  CHECK(place_in_window(utc(21, 20, 0), office) == utc(22, 7, 0));
  // 07:30Z is 08:30 local: inside.
  CHECK(place_in_window(utc(21, 7, 30), office) == utc(21, 7, 30));
  // Across the change to summer time (2027-03-28): 21:00 local on the 27th (20:00Z) waits for
  // 08:00 local on the 28th, which is 06:00Z.
  const auto mar27_20z = utc(1, 20, 0) + std::chrono::hours(24 * 146);  // 2027-03-27T20:00Z
  CHECK(place_in_window(mar27_20z, office) == mar27_20z + 10h);
}
