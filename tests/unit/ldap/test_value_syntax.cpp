// Syntax OIDs to idsync value types, and the time conversions between Generalized Time, UTC
// Time and RFC 3339.
#include <catch2/catch.hpp>

#include "value_syntax.hpp"

using namespace idsync::ldap;

TEST_CASE("syntax OIDs map to value types") {
  CHECK(value_type_for_syntax("1.3.6.1.4.1.1466.115.121.1.12") == IDSYNC_VALUE_REFERENCE);
  CHECK(value_type_for_syntax("1.3.6.1.4.1.1466.115.121.1.27") == IDSYNC_VALUE_INTEGER);
  CHECK(value_type_for_syntax("1.2.840.113556.1.4.906") == IDSYNC_VALUE_INTEGER);
  CHECK(value_type_for_syntax("1.3.6.1.4.1.1466.115.121.1.7") == IDSYNC_VALUE_BOOLEAN);
  CHECK(value_type_for_syntax("1.3.6.1.4.1.1466.115.121.1.24") == IDSYNC_VALUE_DATETIME);
  CHECK(value_type_for_syntax("1.3.6.1.4.1.1466.115.121.1.53") == IDSYNC_VALUE_DATETIME);
  for (const char* binary : {"1.3.6.1.4.1.1466.115.121.1.40", "1.3.6.1.4.1.1466.115.121.1.28",
                             "1.3.6.1.4.1.1466.115.121.1.8", "1.3.6.1.4.1.1466.115.121.1.9",
                             "1.3.6.1.4.1.1466.115.121.1.5", "1.2.840.113556.1.4.907"}) {
    INFO(binary);
    CHECK(value_type_for_syntax(binary) == IDSYNC_VALUE_BINARY);
  }
  for (const char* text :
       {"1.3.6.1.4.1.1466.115.121.1.15", "1.3.6.1.4.1.1466.115.121.1.26",
        "1.3.6.1.4.1.1466.115.121.1.38", "1.2.840.113556.1.4.903", "1.2.840.113556.1.4.904",
        "1.2.840.113556.1.4.905", "1.3.6.1.4.1.1466.115.121.1.34", "", "nonsense",
        "1.3.6.1.4.1.1466.115.121.1.120"}) {
    INFO(text);
    CHECK(value_type_for_syntax(text) == IDSYNC_VALUE_STRING);
  }
}

TEST_CASE("a length suffix and quotes around the OID are ignored") {
  CHECK(value_type_for_syntax("1.3.6.1.4.1.1466.115.121.1.40{128}") == IDSYNC_VALUE_BINARY);
  CHECK(value_type_for_syntax("1.3.6.1.4.1.1466.115.121.1.27{64}") == IDSYNC_VALUE_INTEGER);
  CHECK(value_type_for_syntax("'1.3.6.1.4.1.1466.115.121.1.12'") == IDSYNC_VALUE_REFERENCE);
}

TEST_CASE("Generalized Time becomes RFC 3339 UTC") {
  CHECK(generalized_time_to_rfc3339("20261122063000.0Z") == "2026-11-22T06:30:00Z");
  CHECK(generalized_time_to_rfc3339("20261122063000Z") == "2026-11-22T06:30:00Z");
  CHECK(generalized_time_to_rfc3339("20261122063000.123456Z") == "2026-11-22T06:30:00Z");
  CHECK(generalized_time_to_rfc3339("20261122063000,9Z") == "2026-11-22T06:30:00Z");
  CHECK(generalized_time_to_rfc3339("20261122073000+0100") == "2026-11-22T06:30:00Z");
  CHECK(generalized_time_to_rfc3339("20261122013000.5-0500") == "2026-11-22T06:30:00Z");
  CHECK(generalized_time_to_rfc3339("20261122083000+02") == "2026-11-22T06:30:00Z");
  // Across a day, a month and a year.
  CHECK(generalized_time_to_rfc3339("20270101003000+0100") == "2026-12-31T23:30:00Z");
  CHECK(generalized_time_to_rfc3339("20240228233000-0100") == "2024-02-29T00:30:00Z");
  // Minutes and seconds may be left out; a fraction applies to the last unit given.
  CHECK(generalized_time_to_rfc3339("2026112206Z") == "2026-11-22T06:00:00Z");
  CHECK(generalized_time_to_rfc3339("2026112206.5Z") == "2026-11-22T06:30:00Z");
  CHECK(generalized_time_to_rfc3339("202611220630.75Z") == "2026-11-22T06:30:45Z");
  // AD's "never" and the smallest value.
  CHECK(generalized_time_to_rfc3339("16010101000000.0Z") == "1601-01-01T00:00:00Z");
  CHECK(generalized_time_to_rfc3339("99991231235959.0Z") == "9999-12-31T23:59:59Z");
  // A leap second rolls into the next minute.
  CHECK(generalized_time_to_rfc3339("20161231235960Z") == "2017-01-01T00:00:00Z");
}

TEST_CASE("malformed Generalized Time is refused, naming the text") {
  for (const char* bad :
       {"", "20261122063000", "20261122063000.Z", "2026112206300Z", "20261322063000Z",
        "20261131063000Z", "20250229063000Z", "20261122243000Z", "20261122066000Z",
        "20261122063000+2400", "20261122063000+01000", "20261122063000Zjunk", "2026-11-22T06:30Z",
        "20261122063000.0z", "99991231235959-0100", "00000101000000+0100"}) {
    INFO(bad);
    CHECK_THROWS_AS(generalized_time_to_rfc3339(bad), std::invalid_argument);
  }
  CHECK_THROWS_WITH(generalized_time_to_rfc3339("20261131063000Z"),
                    Catch::Contains("20261131063000Z"));
}

TEST_CASE("UTC Time becomes RFC 3339 UTC with the century inferred") {
  CHECK(utc_time_to_rfc3339("261122063000Z") == "2026-11-22T06:30:00Z");
  CHECK(utc_time_to_rfc3339("2611220630Z") == "2026-11-22T06:30:00Z");
  CHECK(utc_time_to_rfc3339("991231235959Z") == "1999-12-31T23:59:59Z");
  CHECK(utc_time_to_rfc3339("500101000000Z") == "1950-01-01T00:00:00Z");
  CHECK(utc_time_to_rfc3339("491231235959Z") == "2049-12-31T23:59:59Z");
  CHECK(utc_time_to_rfc3339("261122073000+0100") == "2026-11-22T06:30:00Z");
  for (const char* bad : {"", "261122063000", "26112206Z", "261122063000+01", "261122063000.5Z",
                          "20261122063000Z", "261322063000Z"}) {
    INFO(bad);
    CHECK_THROWS_AS(utc_time_to_rfc3339(bad), std::invalid_argument);
  }
}

TEST_CASE("RFC 3339 becomes Generalized Time as AD writes it") {
  CHECK(rfc3339_to_generalized_time("2026-11-22T06:30:00Z") == "20261122063000.0Z");
  CHECK(rfc3339_to_generalized_time("2026-11-22t06:30:00z") == "20261122063000.0Z");
  CHECK(rfc3339_to_generalized_time("2026-11-22T06:30:00.999Z") == "20261122063000.0Z");
  CHECK(rfc3339_to_generalized_time("2026-11-22T07:30:00+01:00") == "20261122063000.0Z");
  CHECK(rfc3339_to_generalized_time("2026-11-21T23:30:00-07:00") == "20261122063000.0Z");
  CHECK(generalized_time_to_rfc3339(rfc3339_to_generalized_time("2024-02-29T12:00:01Z")) ==
        "2024-02-29T12:00:01Z");
  for (const char* bad :
       {"", "2026-11-22", "2026-11-22T06:30Z", "2026-11-22T06:30:00", "2026-11-22 06:30:00Z",
        "2026-11-22T06:30:00+0100", "2026-02-30T00:00:00Z", "2026-11-22T06:30:00.Z",
        "26-11-22T06:30:00Z", "2026-11-22T06:30:00Z "}) {
    INFO(bad);
    CHECK_THROWS_AS(rfc3339_to_generalized_time(bad), std::invalid_argument);
  }
}
