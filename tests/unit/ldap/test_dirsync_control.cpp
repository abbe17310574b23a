// The DirSync control value: the request's exact bytes (flags as a 32-bit two's complement
// INTEGER), a response captured from a Samba DC, round trips, and malformed responses.
#include <catch2/catch.hpp>

#include "dirsync_control.hpp"

using namespace idsync::ldap;

namespace {

std::string bytes(std::initializer_list<unsigned char> list) {
  std::string out;
  for (const unsigned char b : list) out += static_cast<char>(b);
  return out;
}

std::string base64_decode(std::string_view text) {
  static const std::string kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  uint32_t bits = 0;
  int count = 0;
  for (const char c : text) {
    if (c == '=') break;
    bits = (bits << 6) | static_cast<uint32_t>(kAlphabet.find(c));
    count += 6;
    if (count >= 8) {
      count -= 8;
      out += static_cast<char>((bits >> count) & 0xff);
    }
  }
  return out;
}

// A DER response value: SEQUENCE { INTEGER more, INTEGER 0, OCTET STRING cookie }.
std::string response(unsigned char more, const std::string& cookie) {
  std::string body = bytes({0x02, 0x01, more, 0x02, 0x01, 0x00, 0x04});
  body += static_cast<char>(cookie.size());
  body += cookie;
  return bytes({0x30, static_cast<unsigned char>(body.size())}) + body;
}

}  // namespace

TEST_CASE("the request value is SEQUENCE { flags, max bytes, cookie }") {
  CHECK(encode_dirsync_request({}) ==
        bytes({0x30, 0x08, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00, 0x04, 0x00}));
  CHECK(encode_dirsync_request({kDirSyncObjectSecurity, 1048576, "ab"}) ==
        bytes({0x30, 0x0c, 0x02, 0x01, 0x01, 0x02, 0x03, 0x10, 0x00, 0x00, 0x04, 0x02, 'a', 'b'}));
}

TEST_CASE("flags with the top bit set go on the wire as four bytes, as AD expects") {
  CHECK(encode_dirsync_request({kDirSyncIncrementalValues, 0, ""}) ==
        bytes({0x30, 0x0b, 0x02, 0x04, 0x80, 0x00, 0x00, 0x00, 0x02, 0x01, 0x00, 0x04, 0x00}));
  const uint32_t flags =
      kDirSyncIncrementalValues | kDirSyncAncestorsFirstOrder | kDirSyncPublicDataOnly;
  CHECK(encode_dirsync_request({flags, 0, ""}).substr(2, 6) ==
        bytes({0x02, 0x04, 0x80, 0x00, 0x28, 0x00}));
}

TEST_CASE("a response captured from a Samba DC decodes") {
  const std::string value = base64_decode(
      "MHQCAQACAQAEbE1TRFMDAAAAAItwfEd63QEAAAAAAAAAACgAAABxDwAAAAAAAAAAAAAAAAAAcQ8AAAAAAAAtgEl9Vw2"
      "YSJCrPajtPLpVAQAAAAAAAAABAAAAAAAAAC2ASX1XDZhIkKs9qO08ulVxDwAAAAAAAA==");
  REQUIRE(value.size() == 0x76);
  const DirSyncResponse r = decode_dirsync_response(value);
  CHECK_FALSE(r.more_results);
  CHECK(r.cookie.size() == 0x6c);
  CHECK(r.cookie.substr(0, 4) == "MSDS");
  CHECK(r.cookie == value.substr(10));
}

TEST_CASE("responses round-trip through the BER the server would send") {
  const std::string cookie = bytes({'M', 'S', 'D', 'S', 0x00, 0xff, 0x30, 0x04});
  const DirSyncResponse more = decode_dirsync_response(response(1, cookie));
  CHECK(more.more_results);
  CHECK(more.cookie == cookie);
  const DirSyncResponse done = decode_dirsync_response(response(0, ""));
  CHECK_FALSE(done.more_results);
  CHECK(done.cookie.empty());
  // A request carries the same shapes: its cookie comes back out of the same decoder.
  const DirSyncResponse echoed = decode_dirsync_response(encode_dirsync_request({0, 0, cookie}));
  CHECK(echoed.cookie == cookie);
}

TEST_CASE("malformed responses are refused") {
  const std::string good = response(0, "abc");
  CHECK_NOTHROW(decode_dirsync_response(good));
  CHECK_THROWS_AS(decode_dirsync_response(""), std::invalid_argument);
  CHECK_THROWS_AS(decode_dirsync_response(good.substr(0, good.size() - 1)), std::invalid_argument);
  CHECK_THROWS_AS(decode_dirsync_response(good + '\0'), std::invalid_argument);
  std::string not_sequence = good;
  not_sequence[0] = 0x31;  // SET
  CHECK_THROWS_AS(decode_dirsync_response(not_sequence), std::invalid_argument);
  std::string cookie_not_octets = good;
  cookie_not_octets[8] = 0x02;  // the cookie's tag made INTEGER
  CHECK_THROWS_AS(decode_dirsync_response(cookie_not_octets), std::invalid_argument);
  std::string more_not_integer = good;
  more_not_integer[2] = 0x04;
  CHECK_THROWS_AS(decode_dirsync_response(more_not_integer), std::invalid_argument);
  // Two fields only.
  CHECK_THROWS_AS(decode_dirsync_response(bytes({0x30, 0x06, 0x02, 0x01, 0x00, 0x04, 0x01, 'x'})),
                  std::invalid_argument);
  // A fourth field inside the sequence.
  CHECK_THROWS_AS(decode_dirsync_response(bytes({0x30, 0x0b, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00,
                                                 0x04, 0x00, 0x02, 0x01, 0x00})),
                  std::invalid_argument);
  CHECK_THROWS_WITH(decode_dirsync_response("garbage"), Catch::Contains("DirSync"));
}
