// The sample rule plugin's helpers, linked directly: the behaviour its functions promise.
#include <catch2/catch.hpp>
#include <idsync/sdk.hpp>
#include <string>

#include "diacritics.hpp"
#include "nickname.hpp"
#include "phone.hpp"

namespace {

using Catch::Matchers::Equals;
using contoso::mail_nickname;
using contoso::normalize_e164;
using contoso::remove_diacritics;

std::string phone_error(std::string_view number, std::string_view cc) {
  try {
    normalize_e164(number, cc);
  } catch (const idsync::sdk::Error& e) {
    CHECK(e.kind() == IDSYNC_ERR_INVALID_VALUE);
    return e.what();
  }
  return "";
}

TEST_CASE("contoso: NormalizePhone keeps international numbers and drops separators") {
  CHECK(normalize_e164("+44 20 7946 0958", "") == "+442079460958");
  CHECK(normalize_e164("+1 (425) 555-0100", "44") == "+14255550100");
  CHECK(normalize_e164("0044 20 7946 0958", "1") == "+442079460958");
  CHECK(normalize_e164("011 44 20 7946 0958", "1") == "+442079460958");
  // "(0)" is the trunk prefix written after the country code; not part of the number.
  CHECK(normalize_e164("+49 (0)30 1234567", "") == "+49301234567");
  CHECK(normalize_e164("0049 (0)30/1234567", "") == "+49301234567");
  CHECK(normalize_e164("+33.6.12.34.56.78", "") == "+33612345678");
}

TEST_CASE("contoso: NormalizePhone puts the default country code before national numbers") {
  CHECK(normalize_e164("(425) 555-0100", "1") == "+14255550100");
  CHECK(normalize_e164("1-425-555-0100", "+1") == "+14255550100");
  CHECK(normalize_e164("020 7946 0958", "44") == "+442079460958");
  CHECK(normalize_e164("030 1234567", "+49") == "+49301234567");
  CHECK(normalize_e164("06 12 34 56 78", "33") == "+33612345678");
  // Italy keeps the leading 0 of fixed lines.
  CHECK(normalize_e164("02 1234 5678", "39") == "+390212345678");
  // "011" is an international prefix only in North America.
  CHECK(normalize_e164("0114 496 0000", "44") == "+441144960000");
}

TEST_CASE("contoso: NormalizePhone drops extensions, which E.164 cannot hold") {
  CHECK(normalize_e164("+1 425 555 0100 ext. 42", "") == "+14255550100");
  CHECK(normalize_e164("425-555-0100 x42", "1") == "+14255550100");
  CHECK(normalize_e164("425-555-0100 EXT 42", "1") == "+14255550100");
  CHECK(normalize_e164("+44 20 7946 0958#12", "") == "+442079460958");
}

TEST_CASE("contoso: NormalizePhone rejects what is not a phone number, saying why") {
  CHECK(phone_error("n/a", "1") == "phone number \"n/a\" contains letters");
  CHECK(phone_error("425-CALL-NOW", "1") == "phone number \"425-CALL-NOW\" contains letters");
  CHECK(phone_error("()", "1") == "phone number \"()\" has no digits");
  CHECK(phone_error("555-0100", "1") ==
        "phone number \"555-0100\" is not a 10-digit North American number");
  CHECK(phone_error("020 7946 0958", "") ==
        "phone number \"020 7946 0958\" has no country code and no default country code was "
        "given");
  CHECK_THAT(phone_error("020 7946 0958", "UK"), Equals("phone number \"020 7946 0958\" cannot "
                                                        "take default country code \"UK\" (1 to "
                                                        "3 digits, not starting with 0)"));
  CHECK(phone_error("+12", "") ==
        "phone number \"+12\" has 2 digits with its country code; E.164 numbers have 7 to 15");
  CHECK(phone_error("+44 20 7946 0958 1234 5678", "").find("has 20 digits") != std::string::npos);
  CHECK(phone_error("000 1234 5678", "44") ==
        "phone number \"000 1234 5678\" has no valid country code (country codes never start "
        "with 0)");
  CHECK(phone_error("425*555", "1") == "phone number \"425*555\" contains '*'");
}

TEST_CASE("contoso: RemoveDiacritics maps Latin letters to ASCII and keeps the rest") {
  CHECK(remove_diacritics("José Ñúñez") == "Jose Nunez");
  CHECK(remove_diacritics("Søren Ærø") == "Soren AEro");
  CHECK(remove_diacritics("Straße") == "Strasse");
  CHECK(remove_diacritics("Œuvre þorn Ðuro") == "OEuvre thorn Duro");
  CHECK(remove_diacritics("Łódź, Dvořák, Ĳssel, Zoë") == "Lodz, Dvorak, IJssel, Zoe");
  CHECK(remove_diacritics("Ștefan Țurcanu") == "Stefan Turcanu");
  CHECK(remove_diacritics("GROẞ") == "GROSS");
  CHECK(remove_diacritics("Müller") == "Muller");  // marks removed, not German transliteration
  // Decomposed input (e + combining acute) loses the mark as well.
  CHECK(remove_diacritics("Jose\xCC\x81") == "Jose");
  // Other scripts and symbols are not Latin letters: unchanged.
  CHECK(remove_diacritics("Ελλάδα 李 × ÷ €") == "Ελλάδα 李 × ÷ €");
  CHECK(remove_diacritics("") == "");
}

TEST_CASE("contoso: RemoveDiacritics refuses invalid UTF-8") {
  CHECK_THROWS_WITH(remove_diacritics("caf\xC3"), "text is not valid UTF-8 (byte 4)");
  CHECK_THROWS_WITH(remove_diacritics("\xC0\xAF"), "text is not valid UTF-8 (byte 1)");  // overlong
  CHECK_THROWS_WITH(remove_diacritics("a\xED\xA0\x80"), "text is not valid UTF-8 (byte 2)");
  CHECK_THROWS_AS(remove_diacritics("\xFF"), idsync::sdk::Error);
}

TEST_CASE("contoso: MailNickname builds an Exchange alias from name parts") {
  CHECK(mail_nickname({"José", "García Márquez"}) == "jose.garciamarquez");
  CHECK(mail_nickname({"Mary-Ann", "O'Brien"}) == "mary-ann.obrien");
  CHECK(mail_nickname({"", "Smith"}) == "smith");
  CHECK(mail_nickname({"Anna", "  "}) == "anna");
  CHECK(mail_nickname({"-Jo-", "_x_"}) == "jo-._x");
  CHECK_FALSE(mail_nickname({"李", "王"}).has_value());
  CHECK_FALSE(mail_nickname({}).has_value());

  const std::string longer(80, 'a');
  const auto cut = mail_nickname({"b", longer});
  REQUIRE(cut.has_value());
  CHECK(cut->size() == contoso::kMaxNickname);
  CHECK(*cut == "b." + std::string(62, 'a'));
  // A cut right after a separator leaves none at the end.
  CHECK(mail_nickname({std::string(63, 'c'), "d"}) == std::string(63, 'c'));
}

}  // namespace
