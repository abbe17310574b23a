#include <catch2/catch.hpp>

#include "auth/base64url.hpp"

using namespace idsync::msgraph;

TEST_CASE("base64url encodes the RFC 4648 vectors without padding", "[base64url]") {
  CHECK(base64url_encode("") == "");
  CHECK(base64url_encode("f") == "Zg");
  CHECK(base64url_encode("fo") == "Zm8");
  CHECK(base64url_encode("foo") == "Zm9v");
  CHECK(base64url_encode("foob") == "Zm9vYg");
  CHECK(base64url_encode("fooba") == "Zm9vYmE");
  CHECK(base64url_encode("foobar") == "Zm9vYmFy");
  // The URL-safe alphabet: 0xfb 0xff is "+/8=" in plain base64.
  CHECK(base64url_encode("\xfb\xff") == "-_8");
  CHECK(base64url_encode(R"({"alg":"RS256"})") == "eyJhbGciOiJSUzI1NiJ9");
}

TEST_CASE("base64url decodes and round-trips every byte", "[base64url]") {
  CHECK(base64url_decode("Zm9vYmE") == std::optional<std::string>("fooba"));
  CHECK(base64url_decode("-_8") == std::optional<std::string>("\xfb\xff"));
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  for (std::size_t len = 0; len <= all.size(); len += 37)
    CHECK(base64url_decode(base64url_encode(all.substr(0, len))) == all.substr(0, len));
}

TEST_CASE("base64url refuses what is not unpadded base64url", "[base64url]") {
  CHECK_FALSE(base64url_decode("Zm9vYg=="));  // padding
  CHECK_FALSE(base64url_decode("Zm9v+g"));    // plain base64 alphabet
  CHECK_FALSE(base64url_decode("Z"));         // impossible length
  CHECK_FALSE(base64url_decode("Zh"));        // leftover bits set
  CHECK_FALSE(base64url_decode("Zm 9v"));
}
