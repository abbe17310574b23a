// The deletion threshold's decision and the advice it gives: a disabled threshold never stops,
// a percentage replaces the count, and the message names the commands an admin pastes.
#include "exporter/deletion_guard.hpp"

#include <catch2/catch.hpp>

#include "fixtures.hpp"

using namespace idsync;
using exporter::deletion_threshold_message;
using exporter::exceeds_deletion_threshold;

TEST_CASE("a disabled threshold never stops an export") {
  auto o = exporter::test::options();
  o.deletion_threshold = 0;
  CHECK(exceeds_deletion_threshold(1, 10, o));
  o.deletion_threshold_enabled = false;
  CHECK_FALSE(exceeds_deletion_threshold(1, 10, o));
  CHECK_FALSE(exceeds_deletion_threshold(1'000'000, 10, o));
  o.deletion_threshold_percent = 1.0;
  CHECK_FALSE(exceeds_deletion_threshold(10, 10, o));
}

TEST_CASE("a percentage threshold replaces the count") {
  auto o = exporter::test::options();
  o.deletion_threshold = 0;  // would stop any delete if it still applied
  o.deletion_threshold_percent = 10.0;
  CHECK_FALSE(exceeds_deletion_threshold(10, 100, o));  // exactly 10% is allowed
  CHECK(exceeds_deletion_threshold(11, 100, o));
  o.deletion_threshold = 1'000'000;  // a large count does not let an excess through either
  CHECK(exceeds_deletion_threshold(11, 100, o));
  CHECK_FALSE(exceeds_deletion_threshold(0, 100, o));
  // Deletes from an empty connector space are all of it, not nothing.
  CHECK(exceeds_deletion_threshold(1, 0, o));
}

TEST_CASE("the count is compared when no percentage is set") {
  auto o = exporter::test::options();
  CHECK(o.deletion_threshold == 500);
  CHECK_FALSE(exceeds_deletion_threshold(500, 0, o));
  CHECK(exceeds_deletion_threshold(501, 0, o));
  // Allowing once is the caller's decision; the guard still reports the excess.
  o.allow_deletes_once = true;
  CHECK(exceeds_deletion_threshold(501, 0, o));
}

TEST_CASE("the stopped message gives the numbers and the commands to go on") {
  auto o = exporter::test::options();
  o.deletion_threshold = 2;
  o.run_profile = "Export";
  CHECK(deletion_threshold_message(3, 0, o, "HR") ==
        "3 pending deletes exceed the deletion threshold of 2; nothing was exported. Check the "
        "deletes with `idsync pending-exports --connector HR`, then let them through once with "
        "`idsync run-profile --connector HR --profile Export --allow-deletes`, or raise the "
        "threshold with `idsync deletion-threshold enable --connector HR --threshold 3`");

  o.deletion_threshold = 0;
  CHECK_THAT(deletion_threshold_message(1, 0, o, "HR"),
             Catch::StartsWith("1 pending delete exceeds the deletion threshold of 0;"));
}

TEST_CASE("a percentage message gives the share and the smallest percentage that lets it go") {
  auto o = exporter::test::options();
  o.deletion_threshold_percent = 30.0;
  const std::string m = deletion_threshold_message(1, 3, o, "HR");
  CHECK_THAT(m, Catch::StartsWith("1 pending delete (33.3% of 3 objects) exceeds the deletion "
                                  "threshold of 30% of the connector space;"));
  CHECK_THAT(m, Catch::EndsWith("--connector HR --threshold 34%`"));
  CHECK_THAT(deletion_threshold_message(7, 5, o, "HR"), Catch::EndsWith("--threshold 100%`"));
}

TEST_CASE("names in the advice are quoted so that the commands paste as they are") {
  auto o = exporter::test::options();
  o.deletion_threshold = 0;
  o.run_profile = "Full Export";
  const std::string m = deletion_threshold_message(1, 0, o, "Entra ID \"prod\" $x");
  CHECK_THAT(m, Catch::Contains("--connector \"Entra ID \\\"prod\\\" \\$x\" --profile "
                                "\"Full Export\" --allow-deletes`"));
  o.run_profile.clear();  // no run profile: a placeholder the admin replaces
  CHECK_THAT(deletion_threshold_message(1, 0, o, "HR"),
             Catch::Contains("--connector HR --profile PROFILE --allow-deletes`"));
}
