// UTF-8 validation, base64, hashing, state tokens and DN helpers.
#include <catch2/catch.hpp>

#include "anchor_set.hpp"
#include "base64.hpp"
#include "dn.hpp"
#include "hash.hpp"
#include "hash_index.hpp"
#include "source_error.hpp"
#include "state_token.hpp"
#include "support.hpp"
#include "utf8.hpp"

using namespace idsync::file;
using filetest::error_of;

TEST_CASE("utf8: accepts well-formed text and pinpoints the first bad byte", "[utf8]") {
  CHECK(is_valid_utf8(""));
  CHECK(is_valid_utf8("plain ascii that is longer than eight bytes"));
  CHECK(is_valid_utf8("J\xC3\xBCrgen \xE2\x82\xAC \xF0\x9F\x98\x80"));  // ü € 😀
  CHECK(find_invalid_utf8("abc\xFF") == 3);
  CHECK(find_invalid_utf8("abcdefghij\x80") == 10);    // lone continuation byte
  CHECK(find_invalid_utf8("x\xC0\xAF") == 1);          // overlong '/'
  CHECK(find_invalid_utf8("x\xE0\x80\xAF") == 1);      // overlong 3-byte
  CHECK(find_invalid_utf8("x\xED\xA0\x80") == 1);      // UTF-16 surrogate
  CHECK(find_invalid_utf8("x\xF4\x90\x80\x80") == 1);  // above U+10FFFF
  CHECK(find_invalid_utf8("x\xE2\x82") == 1);          // truncated at the end
  CHECK(find_invalid_utf8("x\xE2\x28\xA1") == 1);      // bad continuation
  CHECK(find_invalid_utf8("\xF5\x80\x80\x80") == 0);   // F5 never appears
}

TEST_CASE("base64: decodes strictly and round-trips", "[base64]") {
  Arena arena;
  std::string_view out;
  REQUIRE_FALSE(decode_base64("SsO8cmdlbg==", arena, out));
  CHECK(out == "J\xC3\xBCrgen");
  REQUIRE_FALSE(decode_base64("", arena, out));
  CHECK(out.empty());
  for (std::string s : {std::string(""), std::string("a"), std::string("ab"), std::string("abc"),
                        std::string("\x00\xFF\x10 binary", 9)}) {
    std::string_view back;
    REQUIRE_FALSE(decode_base64(encode_base64(s), arena, back));
    CHECK(back == s);
  }
  CHECK(encode_base64("abcd") == "YWJjZA==");

  auto err = decode_base64("YWJj*A==", arena, out);
  REQUIRE(err);
  CHECK(err->position == 4);
  CHECK(err->reason == "character '*' is not base64");
  err = decode_base64("YWJjZA=", arena, out);
  REQUIRE(err);
  CHECK(err->reason == "length 7 is not a multiple of 4");
  err = decode_base64("YW=j", arena, out);
  REQUIRE(err);
  CHECK(err->reason == "'=' before the end is not base64");
  err = decode_base64("YWJjZB==", arena, out);  // 'B' leaves non-zero unused bits
  REQUIRE(err);
  CHECK(err->reason == "unused trailing bits are not zero");
}

TEST_CASE("hash: stable values (snapshots on disk depend on them)", "[hash]") {
  // If these change, snapshots written by earlier builds are misread: bump the snapshot layout.
  CHECK(hash64("", 0) == 0xc7d3552d73a5b57eull);
  CHECK(hash64("E1001", 0) == 0xcce8f8d6d3f187cbull);
  CHECK(anchor_hash("E1001") == 0xc74d3212622eb311ull);
  CHECK(hash64("E1001", 1) != hash64("E1001", 0));
  CHECK(hash64("abcdefgh", 0) != hash64("abcdefgi", 0));
  CHECK(hash64(std::string_view("a\0", 2), 0) != hash64("a", 0));
}

TEST_CASE("hash: content hash ignores attribute and value order, nothing else", "[hash]") {
  Record a, b;
  a.object_type = b.object_type = "person";
  a.dn = b.dn = "cn=x";
  a.add("mail").values = {"x@a", "y@a"};
  a.add("cn").values = {"X"};
  b.add("cn").values = {"X"};
  b.add("mail").values = {"y@a", "x@a"};
  CHECK(content_hash(a) == content_hash(b));
  b.attributes()[0].values = {"Y"};
  CHECK(content_hash(a) != content_hash(b));
  b.attributes()[0].values = {"X"};
  b.dn = "cn=y";
  CHECK(content_hash(a) != content_hash(b));
  b.dn = "cn=x";
  b.object_type = "group";
  CHECK(content_hash(a) != content_hash(b));
  b.object_type = "person";
  b.attributes()[1].values = {"x@a"};  // a value less
  CHECK(content_hash(a) != content_hash(b));
  b.attributes()[1].values = {"x@a", "y@a", "x@a"};  // a duplicate value more
  CHECK(content_hash(a) != content_hash(b));
  // Moving a value from one attribute to another is a change.
  Record c, d;
  c.add("a").values = {"1"};
  c.add("b").values = {"2"};
  d.add("a").values = {"2"};
  d.add("b").values = {"1"};
  CHECK(content_hash(c) != content_hash(d));
}

namespace {
uint64_t constant_hash(std::string_view, uint64_t) { return 42; }
}  // namespace

TEST_CASE("anchor set: duplicates found, hash collisions confirmed against the real anchor",
          "[anchors]") {
  filetest::TempDir dir;
  SECTION("ordinary hash") {
    AnchorSet set(dir.path());
    for (int i = 0; i < 100000; ++i) REQUIRE(set.insert("anchor-" + std::to_string(i), i + 2) == 0);
    CHECK(set.insert("anchor-77", 500000) == 79);
    CHECK(set.insert("anchor-0", 500001) == 2);
    CHECK(set.insert("anchor-100000", 500002) == 0);
    CHECK(set.size() == 100001);
  }
  SECTION("every anchor collides: still exact") {
    AnchorSet set(dir.path(), &constant_hash);
    for (int i = 0; i < 300; ++i) REQUIRE(set.insert("a" + std::to_string(i), i + 1) == 0);
    CHECK(set.insert("a150", 999) == 151);
    CHECK(set.insert("a", 1000) == 0);
    CHECK(set.insert("a299x", 1001) == 0);
  }
  // The scratch file is unlinked at once: nothing is left in the folder.
  CHECK(dir.entries().empty());
}

TEST_CASE("hash index: multimap semantics across growth", "[anchors]") {
  HashIndex<uint64_t> index;
  for (uint64_t i = 0; i < 10000; ++i)
    index.insert(i % 100 == 0 ? 0 : i * 0x9e3779b97f4a7c15ull, i);
  index.insert(0, 123456);  // key 0 is legal (stored as 1)
  std::vector<uint64_t> zero;
  index.find_if(0, [&](uint64_t& v) {
    zero.push_back(v);
    return false;
  });
  CHECK(zero.size() == 101);
  bool found = index.find_if(5 * 0x9e3779b97f4a7c15ull, [](uint64_t& v) { return v == 5; });
  CHECK(found);
  CHECK_FALSE(index.find_if(0x1234567, [](uint64_t&) { return true; }));
}

TEST_CASE("state token: round trip, refusals", "[token]") {
  StateToken t;
  t.set("op", "full").set_u64("off", 12345).set_hex("cfg", 0xdeadbeefcafef00dull);
  const std::string text = t.text();
  CHECK(text == "idsync-file/1;cfg=deadbeefcafef00d;off=12345;op=full");
  const StateToken back = StateToken::parse(text, "checkpoint");
  CHECK(back.get_u64("off") == 12345);
  CHECK(back.get_hex("cfg") == 0xdeadbeefcafef00dull);
  CHECK(back.get("op") == "full");
  idsync_error_kind kind = IDSYNC_ERR_NONE;
  CHECK(error_of([&] { StateToken::parse("something-else;a=1", "checkpoint"); }, &kind) ==
        "the checkpoint was not made by this version of the file connector (it does not start with "
        "idsync-file/1); run a full import");
  CHECK(kind == IDSYNC_ERR_PRECONDITION);
  CHECK(error_of([&] { back.get_u64("line"); }) ==
        "the checkpoint was not made by this version of the file connector (no line); run a full "
        "import");
  CHECK(error_of([&] { StateToken::parse("idsync-file/1;off=12x", "watermark").get_u64("off"); }) ==
        "the watermark was not made by this version of the file connector (bad off); run a full "
        "import");
}

TEST_CASE("dn: first RDN, escapes, multi-valued RDNs", "[dn]") {
  auto s = split_first_rdn("cn=Smith\\, John,ou=People,dc=example,dc=com");
  CHECK(s.rdn == "cn=Smith\\, John");
  CHECK(s.parent == "ou=People,dc=example,dc=com");
  CHECK(split_first_rdn("dc=com").parent.empty());
  std::vector<Ava> avas;
  REQUIRE(parse_rdn("cn=Smith\\, John+uid=js\\2Bx", avas));
  REQUIRE(avas.size() == 2);
  CHECK(avas[0].type == "cn");
  CHECK(avas[0].value == "Smith, John");
  CHECK(avas[1].type == "uid");
  CHECK(avas[1].value == "js+x");
  CHECK_FALSE(parse_rdn("novalue", avas));
}

TEST_CASE("messages: quoting of values", "[messages]") {
  CHECK(quoted("E1") == "\"E1\"");
  CHECK(quoted(std::string("\x01\xFF\"", 3)) == "\"\\x01\\xff\\\"\"");
  CHECK(quoted("J\xC3\xBCrgen") == "\"J\xC3\xBCrgen\"");
  CHECK(quoted(std::string(100, 'a'), 10) == "\"aaaaaaaaaa...\"");
  CHECK(display_name("/srv/hr/people.csv") == "people.csv");
}
