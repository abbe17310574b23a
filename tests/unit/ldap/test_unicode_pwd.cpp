// unicodePwd values: quotes, UTF-16LE, surrogate pairs, and refusals that never show the
// password.
#include <catch2/catch.hpp>

#include "unicode_pwd.hpp"

using idsync::ldap::ad_unicode_pwd;

namespace {

std::string bytes(std::initializer_list<unsigned char> list) {
  std::string out;
  for (const unsigned char b : list) out += static_cast<char>(b);
  return out;
}

}  // namespace

TEST_CASE("the password is quoted and encoded as UTF-16LE") {
  CHECK(ad_unicode_pwd("ab") == bytes({0x22, 0, 'a', 0, 'b', 0, 0x22, 0}));
  CHECK(ad_unicode_pwd("") == bytes({0x22, 0, 0x22, 0}));
  const std::string value = ad_unicode_pwd("newPassword");
  CHECK(value.size() == 2 * 13);
  CHECK(value.substr(0, 6) == bytes({0x22, 0, 'n', 0, 'e', 0}));
}

TEST_CASE("characters beyond ASCII are encoded in UTF-16LE") {
  // U+00FC, U+20AC, U+FFFD: one unit each.
  CHECK(ad_unicode_pwd("\xC3\xBC") == bytes({0x22, 0, 0xFC, 0x00, 0x22, 0}));
  CHECK(ad_unicode_pwd("\xE2\x82\xAC") == bytes({0x22, 0, 0xAC, 0x20, 0x22, 0}));
  CHECK(ad_unicode_pwd("\xEF\xBF\xBD") == bytes({0x22, 0, 0xFD, 0xFF, 0x22, 0}));
  // U+1F600 -> D83D DE00; U+10FFFF -> DBFF DFFF.
  CHECK(ad_unicode_pwd("\xF0\x9F\x98\x80") == bytes({0x22, 0, 0x3D, 0xD8, 0x00, 0xDE, 0x22, 0}));
  CHECK(ad_unicode_pwd("\xF4\x8F\xBF\xBF") == bytes({0x22, 0, 0xFF, 0xDB, 0xFF, 0xDF, 0x22, 0}));
}

TEST_CASE("invalid UTF-8 is refused with its offset and without the password") {
  const std::pair<const char*, int> cases[] = {
      {"Secret\xFF", 6},              // not a UTF-8 byte
      {"Secret\x80", 6},              // stray continuation byte
      {"Secret\xC3", 6},              // truncated
      {"Secret\xC3x", 7},             // continuation byte missing
      {"Secret\xC0\xAF", 6},          // overlong
      {"Secret\xE0\x80\xAF", 6},      // overlong, three bytes
      {"Secret\xED\xA0\x80", 6},      // surrogate
      {"Secret\xF4\x90\x80\x80", 6},  // beyond U+10FFFF
  };
  for (const auto& [password, offset] : cases) {
    INFO(offset);
    try {
      ad_unicode_pwd(password);
      FAIL("accepted invalid UTF-8");
    } catch (const std::invalid_argument& e) {
      const std::string message = e.what();
      CHECK(message.find("offset " + std::to_string(offset)) != std::string::npos);
      CHECK(message.find("Secret") == std::string::npos);
    }
  }
}
