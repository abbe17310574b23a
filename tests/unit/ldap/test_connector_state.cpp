// The connector's small encodings of its own state: entryUUIDs as text and raw bytes, base64
// (RFC 4648 test vectors, strictness) and the JSON watermark (its exact form, round trips, and
// PRECONDITION for a watermark of another kind, of other partitions, or of no JSON at all).
#include <catch2/catch.hpp>
#include <idsync/sdk.hpp>
#include <string>
#include <vector>

#include "codec/base64.hpp"
#include "entry_uuid.hpp"
#include "watermark.hpp"

using namespace idsync::ldap;

namespace {

std::string all_bytes() {
  std::string out;
  for (int i = 0; i < 256; ++i) out += static_cast<char>(i);
  return out;
}

// Runs `decode` and returns the kind of the sdk::Error it throws; -1 when it throws nothing or
// something else.
template <class F>
int error_kind(F&& decode) {
  try {
    decode();
  } catch (const idsync::sdk::Error& e) {
    return static_cast<int>(e.kind());
  } catch (...) {
    return -2;
  }
  return -1;
}

}  // namespace

// ---- entryUUID ----

TEST_CASE("entryUUID: raw bytes to the RFC 4122 text form, lowercase, bytes in order") {
  const Uuid u{0x59, 0x7a, 0xe2, 0xf6, 0x16, 0xa6, 0x10, 0x27,
               0x98, 0xf4, 0xd2, 0x8b, 0x53, 0x65, 0xdc, 0x14};
  CHECK(uuid_to_text(u) == "597ae2f6-16a6-1027-98f4-d28b5365dc14");
  CHECK(uuid_to_text(Uuid{}) == "00000000-0000-0000-0000-000000000000");
  Uuid ones;
  ones.fill(0xff);
  CHECK(uuid_to_text(ones) == "ffffffff-ffff-ffff-ffff-ffffffffffff");
}

TEST_CASE("entryUUID: text to raw bytes in any letter case") {
  const Uuid expected{0x59, 0x7a, 0xe2, 0xf6, 0x16, 0xa6, 0x10, 0x27,
                      0x98, 0xf4, 0xd2, 0x8b, 0x53, 0x65, 0xdc, 0x14};
  CHECK(uuid_from_text("597ae2f6-16a6-1027-98f4-d28b5365dc14") == expected);
  CHECK(uuid_from_text("597AE2F6-16A6-1027-98F4-D28B5365DC14") == expected);
  CHECK(uuid_from_text("597aE2f6-16A6-1027-98f4-D28b5365Dc14") == expected);
}

TEST_CASE("entryUUID: every byte value survives text and back") {
  for (int start = 0; start < 256; start += 16) {
    Uuid u{};
    for (size_t i = 0; i < u.size(); ++i) u[i] = static_cast<uint8_t>(start + i);
    const std::string text = uuid_to_text(u);
    CHECK(text.size() == 36);
    CHECK(uuid_from_text(text) == u);
  }
}

TEST_CASE("entryUUID: anything but 8-4-4-4-12 hex digits is refused") {
  const char* bad[] = {
      "",
      "597ae2f6-16a6-1027-98f4-d28b5365dc1",     // one digit short
      "597ae2f6-16a6-1027-98f4-d28b5365dc145",   // one too many
      "597ae2f616a6102798f4d28b5365dc14",        // no dashes (32 digits)
      "597ae2f6-16a6-1027-98f4d-28b5365dc14",    // a dash moved
      "597ae2f6016a6-1027-98f4-d28b5365dc14",    // a digit where a dash goes
      "597ae2f6-16a6-1027-98f4-d28b5365dc1g",    // not hex
      "597ae2f6-16a6-1027-98f4-d28b5365dc 4",    // a space
      "{597ae2f6-16a6-1027-98f4-d28b5365dc1}",   // braces
      "597ae2f6-16a6-1027-98f4-d28b5365dc14\n",  // a trailing newline
      "-97ae2f6-16a6-1027-98f4-d28b5365dc14",    // a dash as a digit
  };
  for (const char* text : bad) {
    INFO(text);
    CHECK_FALSE(uuid_from_text(text));
  }
}

// ---- base64 ----

TEST_CASE("base64: the RFC 4648 section 10 test vectors") {
  const std::pair<const char*, const char*> vectors[] = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, encoded] : vectors) {
    INFO(plain);
    CHECK(idsync::codec::base64_encode(plain) == encoded);
    CHECK(idsync::codec::base64_decode(encoded) == std::string(plain));
  }
}

TEST_CASE("base64: binary data, every length up to 256, round trips") {
  const std::string data = all_bytes();
  CHECK(idsync::codec::base64_encode(std::string("\0\xff\xfe", 3)) == "AP/+");
  for (size_t n = 0; n <= data.size(); ++n) {
    const std::string part = data.substr(256 - n);
    const std::string text = idsync::codec::base64_encode(part);
    CHECK(text.size() == (n + 2) / 3 * 4);
    CHECK(idsync::codec::base64_decode(text) == part);
  }
}

TEST_CASE("base64: anything but well-formed padded base64 is refused") {
  const char* bad[] = {
      "Zg",        // unpadded
      "Zg=",       // short padding
      "Zm9vY",     // length not a multiple of 4
      "Z===",      // padding after one character
      "====",      // padding only
      "Zg=a",      // data after padding
      "Zg==Zm9v",  // padding before the end
      "Zm9-",      // base64url alphabet
      "Zm9_",      //
      "Zm 9",      // a space
      "Zm9v\n",    // a newline
      "Zm9\xc3",   // a non-ASCII byte
  };
  for (const char* text : bad) {
    INFO(text);
    CHECK_FALSE(idsync::codec::base64_decode(text));
  }
}

// ---- watermark ----

TEST_CASE("watermark: the exact JSON form, tokens in base64, optional scalars left out") {
  Watermark w;
  w.kind = "rfc4533";
  w.tokens = {{"dc=example,dc=com", "foo"}, {"ou=other", std::string("\0\xff", 2)}};
  CHECK(w.encode() ==
        R"({"kind":"rfc4533","partitions":[{"partition":"dc=example,dc=com","token":"Zm9v"},)"
        R"({"partition":"ou=other","token":"AP8="}]})");

  Watermark usn;
  usn.kind = "ad.usn";
  usn.invocation_id = "inv";
  usn.usn = "12345";
  CHECK(usn.encode() == R"({"kind":"ad.usn","partitions":[],"invocation_id":"inv","usn":"12345"})");
}

TEST_CASE("watermark: decode reads back what encode wrote, binary tokens intact") {
  Watermark w;
  w.kind = "rfc4533";
  w.tokens = {{"dc=example,dc=com", all_bytes()}, {"o=second", "rid=001,csn=2024"}};
  w.invocation_id = "a-b-c";
  w.usn = "99";
  const Watermark back =
      Watermark::decode(w.encode(), "rfc4533", {"dc=example,dc=com", "o=second"});
  CHECK(back.kind == "rfc4533");
  CHECK(back.tokens == w.tokens);
  CHECK(back.invocation_id == "a-b-c");
  CHECK(back.usn == "99");
  CHECK(back.encode() == w.encode());
}

TEST_CASE("watermark: partitions match in any order and as DNs, not as text") {
  Watermark w;
  w.kind = "rfc4533";
  w.tokens = {{"dc=example,dc=com", "one"}, {"ou=People,o=Org", "two"}};
  const Watermark back =
      Watermark::decode(w.encode(), "rfc4533", {"OU=people, O=org", "DC=Example,DC=Com"});
  CHECK(back.token("DC=EXAMPLE, dc=com") == "one");
  CHECK(back.token("ou=people,o=org") == "two");
  CHECK(back.token("o=elsewhere").empty());
}

TEST_CASE("watermark: set_token replaces the partition's token or adds one") {
  Watermark w;
  w.kind = "rfc4533";
  w.set_token("dc=example,dc=com", "first");
  w.set_token("DC=Example, DC=com", "second");  // the same partition
  REQUIRE(w.tokens.size() == 1);
  CHECK(w.tokens[0].first == "dc=example,dc=com");  // the name as first given
  CHECK(w.token("dc=example,dc=com") == "second");
  w.set_token("o=other", "third");
  REQUIRE(w.tokens.size() == 2);
  CHECK(w.token("o=other") == "third");
  CHECK(w.token("dc=example,dc=com") == "second");
}

TEST_CASE("watermark: an empty token survives a round trip as empty") {
  Watermark w;
  w.kind = "rfc4533";
  w.tokens = {{"dc=example,dc=com", ""}};
  const Watermark back = Watermark::decode(w.encode(), "rfc4533", {"dc=example,dc=com"});
  REQUIRE(back.tokens.size() == 1);
  CHECK(back.token("dc=example,dc=com").empty());
}

TEST_CASE("watermark: another kind, other partitions or garbage is PRECONDITION") {
  Watermark w;
  w.kind = "rfc4533";
  w.tokens = {{"dc=example,dc=com", "one"}, {"o=second", "two"}};
  const std::string good = w.encode();
  const std::vector<std::string> partitions{"dc=example,dc=com", "o=second"};
  REQUIRE_NOTHROW(Watermark::decode(good, "rfc4533", partitions));

  auto kind_of = [&](const std::string& text, const std::string& kind,
                     const std::vector<std::string>& parts) {
    return error_kind([&] { Watermark::decode(text, kind, parts); });
  };
  const int precondition = IDSYNC_ERR_PRECONDITION;

  SECTION("another delta source's kind") {
    CHECK(kind_of(good, "ad.dirsync", partitions) == precondition);
    CHECK(kind_of(good, "", partitions) == precondition);
  }
  SECTION("a partition missing, one more, or another one") {
    CHECK(kind_of(good, "rfc4533", {"dc=example,dc=com"}) == precondition);
    CHECK(kind_of(good, "rfc4533", {"dc=example,dc=com", "o=second", "o=third"}) == precondition);
    CHECK(kind_of(good, "rfc4533", {"dc=example,dc=com", "o=third"}) == precondition);
    CHECK(kind_of(good, "rfc4533", {}) == precondition);
  }
  SECTION("the same partition twice in place of two") {
    Watermark twice;
    twice.kind = "rfc4533";
    twice.tokens = {{"dc=example,dc=com", "one"}, {"DC=example,DC=com", "two"}};
    CHECK(kind_of(twice.encode(), "rfc4533", partitions) == precondition);
  }
  SECTION("not a watermark this connector wrote") {
    const char* garbage[] = {
        "",
        "not json",
        "{",
        "[]",
        "42",
        "\"rfc4533\"",
        R"({"partitions":[]})",
        R"({"kind":"rfc4533"})",
        R"({"kind":7,"partitions":[]})",
        R"({"kind":"rfc4533","partitions":{}})",
        R"({"kind":"rfc4533","partitions":[{"partition":"dc=example,dc=com"}]})",
        R"({"kind":"rfc4533","partitions":[{"token":"Zm9v"}]})",
        R"({"kind":"rfc4533","partitions":[{"partition":1,"token":"Zm9v"}]})",
        R"({"kind":"rfc4533","partitions":["dc=example,dc=com"]})",
        R"({"kind":"rfc4533","partitions":[{"partition":"dc=example,dc=com","token":"Zm9"}]})",
        R"({"kind":"rfc4533","partitions":[{"partition":"dc=example,dc=com","token":"Zm9v"}],)"
        R"("usn":5})",
    };
    for (const char* text : garbage) {
      INFO(text);
      CHECK(kind_of(text, "rfc4533", {"dc=example,dc=com"}) == precondition);
    }
  }
  SECTION("a partition that is not a DN") {
    const std::string text =
        R"({"kind":"rfc4533","partitions":[{"partition":"no equals sign","token":"Zm9v"}]})";
    CHECK(kind_of(text, "rfc4533", {"dc=example,dc=com"}) == precondition);
  }
}
