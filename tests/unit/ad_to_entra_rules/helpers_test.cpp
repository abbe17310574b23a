// The plugin's pure helpers: GUID bytes and base64, mail nicknames, random passwords.
#include <algorithm>
#include <catch2/catch.hpp>
#include <set>
#include <stdexcept>
#include <string>

#include "guid.hpp"
#include "mail_nickname.hpp"
#include "password.hpp"

namespace ad_to_entra {
namespace {

std::string hex(const std::string& bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : bytes) {
    out += digits[b >> 4];
    out += digits[b & 15];
  }
  return out;
}

TEST_CASE("GUID text to AD's byte order: the first three fields little endian") {
  const auto bytes = guid_bytes_from_text("4c045603-48d5-4264-94ac-f2db0ab2a15c");
  REQUIRE(bytes);
  CHECK(hex(*bytes) == "0356044cd548644294acf2db0ab2a15c");
  // Upper case and braces name the same GUID.
  CHECK(guid_bytes_from_text("{4C045603-48D5-4264-94AC-F2DB0AB2A15C}") == bytes);
  CHECK(hex(*guid_bytes_from_text("00112233-4455-6677-8899-aabbccddeeff")) ==
        "33221100554477668899aabbccddeeff");
}

TEST_CASE("GUID text: anything else is refused") {
  for (const char* bad :
       {"", "4c045603-48d5-4264-94ac-f2db0ab2a15", "4c045603-48d5-4264-94ac-f2db0ab2a15c0",
        "4c045603048d5-4264-94ac-f2db0ab2a15c", "4c04560g-48d5-4264-94ac-f2db0ab2a15c",
        "4c045603-48d5-4264-94ac-f2db0ab2a15c}", "{4c045603-48d5-4264-94ac-f2db0ab2a15c",
        "4c04560348d5426494acf2db0ab2a15c", " 4c045603-48d5-4264-94ac-f2db0ab2a15"})
    CHECK_FALSE(guid_bytes_from_text(bad));
}

TEST_CASE("base64 with padding") {
  CHECK(base64("") == "");
  CHECK(base64("f") == "Zg==");
  CHECK(base64("fo") == "Zm8=");
  CHECK(base64("foo") == "Zm9v");
  CHECK(base64("foobar") == "Zm9vYmFy");
  CHECK(base64(std::string("\xff\xfe\x00", 3)) == "//4A");
  CHECK(base64(*guid_bytes_from_text("4c045603-48d5-4264-94ac-f2db0ab2a15c")) ==
        "A1YETNVIZEKUrPLbCrKhXA==");
}

TEST_CASE("mail nicknames keep what Graph accepts") {
  CHECK(cloud_mail_nickname("jdoe") == "jdoe");
  CHECK(cloud_mail_nickname("Sales Team (EMEA)") == "SalesTeamEMEA");
  CHECK(cloud_mail_nickname("a@b\\c[d]e\"f;g:h<i>j,k") == "abcdefghijk");
  CHECK(cloud_mail_nickname("M\xc3\xbcller.ext_1-2") == "Mller.ext_1-2");
  CHECK(cloud_mail_nickname("tab\there") == "tabhere");
  CHECK(cloud_mail_nickname(std::string(70, 'x')) == std::string(64, 'x'));
  CHECK_FALSE(cloud_mail_nickname(""));
  CHECK_FALSE(cloud_mail_nickname(" ()@ "));
}

bool in(std::string_view set, char c) { return set.find(c) != std::string_view::npos; }

void check_classes(const std::string& password) {
  std::size_t upper = 0, lower = 0, digits = 0, symbols = 0;
  for (char c : password) {
    upper += in(kUpper, c);
    lower += in(kLower, c);
    digits += in(kDigits, c);
    symbols += in(kSymbols, c);
  }
  CHECK(upper > 0);
  CHECK(lower > 0);
  CHECK(digits > 0);
  CHECK(symbols > 0);
  CHECK(upper + lower + digits + symbols == password.size());  // nothing outside the classes
}

TEST_CASE("random passwords: length, every class, only the allowed characters") {
  for (std::size_t length : {kMinPasswordLength, kDefaultPasswordLength, kMaxPasswordLength}) {
    const std::string p = random_password(length);
    CHECK(p.size() == length);
    check_classes(p);
  }
}

TEST_CASE("random passwords differ from call to call") {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) seen.insert(random_password(kDefaultPasswordLength));
  CHECK(seen.size() == 200);
}

TEST_CASE("random passwords: every class, even from a source stuck on one byte") {
  // All-zero bytes pick the first character of every set: the one character of each class
  // is there whatever the source gives, and the shuffle only moves them.
  const std::string p = random_password(16, [](unsigned char* out, std::size_t count) {
    std::fill(out, out + count, static_cast<unsigned char>(0));
  });
  CHECK(std::multiset<char>(p.begin(), p.end()) == std::multiset<char>{'A', 'a', '2', '!', 'A', 'A',
                                                                       'A', 'A', 'A', 'A', 'A', 'A',
                                                                       'A', 'A', 'A', 'A'});
  check_classes(p);
}

TEST_CASE("random passwords: bytes that would bias the choice are drawn again") {
  // 24 upper-case letters: bytes 240..255 lie above the largest multiple of 24 and must be
  // skipped, so 250 then 25 picks letter 25 % 24 = 1, "B".
  static int calls = 0;
  calls = 0;
  const std::string p = random_password(16, [](unsigned char* out, std::size_t count) {
    for (std::size_t i = 0; i < count; ++i) out[i] = calls++ == 0 ? 250 : (calls == 2 ? 25 : 0);
  });
  CHECK(calls > 16);
  CHECK(p.find('B') != std::string::npos);
}

TEST_CASE("random passwords: lengths out of bounds are refused") {
  CHECK_THROWS_AS(random_password(kMinPasswordLength - 1), std::invalid_argument);
  CHECK_THROWS_AS(random_password(kMaxPasswordLength + 1), std::invalid_argument);
}

}  // namespace
}  // namespace ad_to_entra
