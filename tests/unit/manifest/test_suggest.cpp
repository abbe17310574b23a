#include <catch2/catch.hpp>

#include "manifest/suggest.hpp"

using namespace idsync::manifest;

TEST_CASE("edit distance counts insertions, deletions, substitutions and swaps", "[suggest]") {
  CHECK(edit_distance("", "") == 0);
  CHECK(edit_distance("abc", "") == 3);
  CHECK(edit_distance("run_profile", "run_profiles") == 1);
  CHECK(edit_distance("conector", "connector") == 1);
  CHECK(edit_distance("naem", "name") == 1);  // adjacent swap is one edit
  CHECK(edit_distance("Name", "name") == 0);  // case is ignored
  CHECK(edit_distance("kitten", "sitting") == 3);
  CHECK(edit_distance("conector", "connectors") == 2);
}

TEST_CASE("closest_match offers a candidate within two edits", "[suggest]") {
  const std::vector<std::string_view> keys = {"name",   "type",         "description",
                                              "config", "object_types", "run_profiles"};
  CHECK(closest_match("run_profile", keys) == "run_profiles");
  CHECK(closest_match("runprofile", keys) == "run_profiles");  // two edits
  CHECK_FALSE(closest_match("runprofil", keys).has_value());   // three
  CHECK(closest_match("objecttypes", keys) == "object_types");
  CHECK(closest_match("descripton", keys) == "description");
  CHECK(closest_match("NAME", keys) == "name");
  CHECK_FALSE(closest_match("colour", keys).has_value());
  CHECK_FALSE(closest_match("confuguration", keys).has_value());
  // Two edits away from a two-letter word is no resemblance at all.
  CHECK_FALSE(closest_match("x", {"id"}).has_value());
  CHECK_FALSE(closest_match("ab", {"cd"}).has_value());
  // The nearest wins, then the earliest.
  CHECK(closest_match("file", {"files", "file_"}) == "files");
  CHECK(closest_match("fil", {"fill", "file"}) == "fill");
  CHECK(closest_match("warnn", {"trace", "debug", "info", "warn", "error"}) == "warn");
  // Three edits is too far, even for a longer spelling of the same word.
  CHECK_FALSE(closest_match("warning", {"trace", "debug", "info", "warn", "error"}).has_value());
}

TEST_CASE("did_you_mean renders the hint or nothing", "[suggest]") {
  CHECK(did_you_mean("run_profile", {"run_profiles"}) == "; did you mean \"run_profiles\"?");
  CHECK(did_you_mean("zzz", {"run_profiles"}).empty());
  CHECK(did_you_mean("a", {}).empty());
}
