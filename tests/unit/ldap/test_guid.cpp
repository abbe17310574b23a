// objectGUID bytes <-> text: the Windows byte order of the first three fields, both directions,
// and the refusals.
#include <catch2/catch.hpp>

#include "guid.hpp"

using idsync::ldap::guid_from_string;
using idsync::ldap::guid_to_string;

namespace {

// A1 56 04 4C D5 48 64 42 94 AC F2 DB 0A B2 A1 5C
const std::string kRaw("\xA1\x56\x04\x4C\xD5\x48\x64\x42\x94\xAC\xF2\xDB\x0A\xB2\xA1\x5C", 16);

}  // namespace

TEST_CASE("guid_to_string writes the first three fields little-endian") {
  CHECK(guid_to_string(kRaw) == "4c0456a1-48d5-4264-94ac-f2db0ab2a15c");
  CHECK(guid_to_string(std::string(16, '\0')) == "00000000-0000-0000-0000-000000000000");
  std::string counting;
  for (int i = 0; i < 16; ++i) counting += static_cast<char>(i);
  CHECK(guid_to_string(counting) == "03020100-0504-0706-0809-0a0b0c0d0e0f");
}

TEST_CASE("guid_to_string refuses values that are not 16 bytes") {
  CHECK_THROWS_AS(guid_to_string(""), std::invalid_argument);
  CHECK_THROWS_AS(guid_to_string(kRaw.substr(0, 15)), std::invalid_argument);
  CHECK_THROWS_WITH(guid_to_string(kRaw + "x"), Catch::Contains("17"));
}

TEST_CASE("guid_from_string is the inverse, in any case, with or without braces") {
  CHECK(guid_from_string("4c0456a1-48d5-4264-94ac-f2db0ab2a15c") == kRaw);
  CHECK(guid_from_string("4C0456A1-48D5-4264-94AC-F2DB0AB2A15C") == kRaw);
  CHECK(guid_from_string("{4c0456a1-48d5-4264-94ac-f2db0ab2a15c}") == kRaw);
  std::string all;
  for (int i = 0; i < 256; i += 16) all += static_cast<char>(i + 15 - i / 16);
  CHECK(guid_from_string(guid_to_string(all)) == all);
}

TEST_CASE("guid_from_string gives nullopt for malformed text") {
  CHECK_FALSE(guid_from_string(""));
  CHECK_FALSE(guid_from_string("4c0456a148d5426494acf2db0ab2a15c"));       // no hyphens
  CHECK_FALSE(guid_from_string("4c0456a1-48d5-4264-94ac-f2db0ab2a15"));    // short
  CHECK_FALSE(guid_from_string("4c0456a1-48d5-4264-94ac-f2db0ab2a15cc"));  // long
  CHECK_FALSE(guid_from_string("4c0456a1-48d54-264-94ac-f2db0ab2a15c"));   // hyphen misplaced
  CHECK_FALSE(guid_from_string("4c0456g1-48d5-4264-94ac-f2db0ab2a15c"));   // not hex
  CHECK_FALSE(guid_from_string("{4c0456a1-48d5-4264-94ac-f2db0ab2a15c"));  // one brace
  CHECK_FALSE(guid_from_string("(4c0456a1-48d5-4264-94ac-f2db0ab2a15c)"));
  CHECK_FALSE(guid_from_string(" 4c0456a1-48d5-4264-94ac-f2db0ab2a15c"));
}
