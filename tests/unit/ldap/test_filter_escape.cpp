// RFC 4515 escaping of assertion values: the five special characters, bytes that are not
// UTF-8, UTF-8 passed through, and the all-bytes form for binary values.
#include <catch2/catch.hpp>

#include "filter_escape.hpp"

using idsync::ldap::escape_filter_bytes;
using idsync::ldap::escape_filter_value;

TEST_CASE("escape_filter_value escapes the characters with a meaning in filters") {
  CHECK(escape_filter_value("Smith (Jr.)") == "Smith \\28Jr.\\29");
  CHECK(escape_filter_value("*") == "\\2a");
  CHECK(escape_filter_value("a\\b") == "a\\5cb");
  CHECK(escape_filter_value(std::string("a\0b", 3)) == "a\\00b");
  CHECK(escape_filter_value("*)(uid=*))(|(uid=*") ==
        "\\2a\\29\\28uid=\\2a\\29\\29\\28|\\28uid=\\2a");
}

TEST_CASE("escape_filter_value leaves ordinary text, UTF-8 included, alone") {
  CHECK(escape_filter_value("") == "");
  CHECK(escape_filter_value("ann.lee@example.com") == "ann.lee@example.com");
  CHECK(escape_filter_value("J\xC3\xBCrgen M\xC3\xBCller") == "J\xC3\xBCrgen M\xC3\xBCller");
  CHECK(escape_filter_value("\xE2\x82\xAC \xF0\x9F\x98\x80") == "\xE2\x82\xAC \xF0\x9F\x98\x80");
}

TEST_CASE("escape_filter_value escapes bytes that are not well-formed UTF-8") {
  CHECK(escape_filter_value("\xFF") == "\\ff");
  CHECK(escape_filter_value("a\x80z") == "a\\80z");              // stray continuation byte
  CHECK(escape_filter_value("\xC3") == "\\c3");                  // truncated sequence
  CHECK(escape_filter_value("\xC0\xAF") == "\\c0\\af");          // overlong '/'
  CHECK(escape_filter_value("\xED\xA0\x80") == "\\ed\\a0\\80");  // a surrogate
  CHECK(escape_filter_value("\xC3(") == "\\c3\\28");
}

TEST_CASE("escape_filter_bytes escapes every byte") {
  CHECK(escape_filter_bytes("") == "");
  CHECK(escape_filter_bytes("ab") == "\\61\\62");
  const std::string guid("\xA1\x56\x04\x4C\xD5\x48\x64\x42\x94\xAC\xF2\xDB\x0A\xB2\xA1\x5C", 16);
  CHECK(escape_filter_bytes(guid) ==
        "\\a1\\56\\04\\4c\\d5\\48\\64\\42\\94\\ac\\f2\\db\\0a\\b2\\a1\\5c");
  CHECK(escape_filter_bytes(std::string("\0\xFF", 2)) == "\\00\\ff");
}
