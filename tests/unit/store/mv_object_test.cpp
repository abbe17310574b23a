#include "store/mv_object.hpp"

#include <catch2/catch.hpp>

#include "store/codec.hpp"
#include "store/dirty_attributes.hpp"
#include "store/export_confirm.hpp"
#include "store/pending_export.hpp"

using namespace idsync::store;

namespace {

MvObject sample() {
  MvObject o;
  o.id = 42;
  o.object_type = "person";
  o.attributes.push_back(
      {"mail", IDSYNC_VALUE_STRING, {"a@example.com"}, {3, "HR in: person", 10, 1700000000123}});
  o.attributes.push_back({"member",
                          IDSYNC_VALUE_REFERENCE,
                          {std::string("\0\0\0\0\0\0\0\x07", 8), std::string(1000, 'x')},
                          {7, "", 0, 0}});
  return o;
}

// Every strict prefix of a record must be refused, never read as a shorter record.
template <typename Decode>
void check_truncations_refused(const std::string& encoded, Decode decode) {
  for (size_t n = 0; n < encoded.size(); ++n) {
    INFO("prefix of " << n << " bytes");
    CHECK_THROWS_AS(decode(encoded.substr(0, n)), CorruptRecord);
  }
}

}  // namespace

TEST_CASE("an MV object round-trips through its codec, provenance and tombstone included") {
  MvObject o = sample();
  for (bool deleted : {false, true}) {
    o.deleted = deleted;
    std::string encoded;
    encode_mv_object(o, encoded);
    CHECK(encoded[0] == 2);  // the format byte leads
    MvObject back;
    decode_mv_object(42, encoded, back);
    CHECK(back == o);
  }
}

TEST_CASE("an MV record keeps each rule name once, however many attributes it flowed") {
  MvObject o;
  o.id = 7;
  o.object_type = "person";
  const std::string rule = "In from HR - person";
  for (const char* name : {"cn", "department", "mail", "sn", "title"})
    o.attributes.push_back({name, IDSYNC_VALUE_STRING, {"v"}, {1, rule, 100, 1700000000000}});
  o.attributes.push_back({"badge", IDSYNC_VALUE_STRING, {"b"}, {2, "In from Badges", 200, 5}});
  o.attributes.push_back({"zone", IDSYNC_VALUE_STRING, {"z"}, {1, rule, 100, 6}});
  std::string encoded;
  encode_mv_object(o, encoded);
  size_t copies = 0;
  for (size_t at = encoded.find(rule); at != std::string::npos; at = encoded.find(rule, at + 1))
    ++copies;
  CHECK(copies == 1);
  MvObject back;
  decode_mv_object(7, encoded, back);
  CHECK(back == o);
}

TEST_CASE("an MV record of format 1, with a rule name in each provenance, is still read") {
  // Format 1 as written before the rule table: flags, type, then per attribute its name,
  // type, values, connector id, rule name, precedence and time.
  std::string v1;
  Encoder e(v1);
  e.u8(1);
  e.u8(1);  // deleted
  e.bytes("person");
  e.varint(2);
  e.bytes("mail");
  e.u8(IDSYNC_VALUE_STRING);
  e.varint(1);
  e.bytes("a@example.com");
  e.varint(3);
  e.bytes("HR in: person");
  e.varint(10);
  e.varint(1700000000123);
  e.bytes("member");
  e.u8(IDSYNC_VALUE_REFERENCE);
  e.varint(2);
  e.bytes(std::string("\0\0\0\0\0\0\0\x07", 8));
  e.bytes(std::string(1000, 'x'));
  e.varint(7);
  e.bytes("");
  e.varint(0);
  e.varint(0);
  MvObject want = sample();
  want.deleted = true;
  MvObject back;
  decode_mv_object(42, v1, back);
  CHECK(back == want);
  check_truncations_refused(v1, [&](const std::string& s) { decode_mv_object(42, s, back); });
}

TEST_CASE("a damaged MV record is refused") {
  std::string encoded;
  encode_mv_object(sample(), encoded);
  MvObject o;
  check_truncations_refused(encoded, [&](const std::string& s) { decode_mv_object(1, s, o); });
  CHECK_THROWS_AS(decode_mv_object(1, encoded + "x", o), CorruptRecord);
  std::string bad_format = encoded;
  bad_format[0] = 9;
  CHECK_THROWS_WITH(decode_mv_object(1, bad_format, o), Catch::Contains("format 9"));
  std::string bad_flags = encoded;
  bad_flags[1] = 2;
  CHECK_THROWS_AS(decode_mv_object(1, bad_flags, o), CorruptRecord);
  // The first attribute's rule index (its only byte with the value 0 after the values) points
  // past the table of two names.
  MvObject one = sample();
  one.attributes.resize(1);
  std::string single;
  encode_mv_object(one, single);
  const size_t index_at = single.size() - 1 /*index*/ - 1 /*precedence*/ - 6 /*time*/;
  REQUIRE(single[index_at] == 0);
  single[index_at] = 5;
  CHECK_THROWS_WITH(decode_mv_object(1, single, o), Catch::Contains("rule index"));
}

TEST_CASE("mv keys sort in id order") {
  CHECK(mv_key(1) < mv_key(2));
  CHECK(mv_key(255) < mv_key(256));
  CHECK(mv_id_of(mv_key(0x0102030405060708ull)) == 0x0102030405060708ull);
  CHECK_THROWS_AS(mv_id_of("short"), CorruptRecord);
}

TEST_CASE("a pending export round-trips through its codec and damage is refused") {
  PendingExport pe;
  pe.kind = ExportKind::update;
  pe.object_type = "user";
  pe.dn = "cn=a,dc=x";
  pe.new_dn = "cn=b,dc=x";
  pe.attributes = {{"member", IDSYNC_VALUE_REFERENCE, ValueOp::add, {"m1", "m2"}},
                   {"member", IDSYNC_VALUE_REFERENCE, ValueOp::remove, {"m3"}},
                   {"title", IDSYNC_VALUE_STRING, ValueOp::replace, {}}};
  pe.attempts = 3;
  pe.created_unix_ms = 1;
  pe.updated_unix_ms = 2;
  for (bool with_error : {false, true}) {
    if (with_error) pe.last_error = ExportError{1, 5, "refused: constraint", 1700000000000};
    std::string encoded;
    encode_pending_export(pe, encoded);
    PendingExport back;
    decode_pending_export(encoded, back);
    CHECK(back == pe);
    // What a count reads of it, without decoding the values.
    const PendingExportHead head = peek_pending_export(encoded);
    CHECK(head.kind == ExportKind::update);
    CHECK(head.attempts == 3);
    check_truncations_refused(encoded,
                              [&](const std::string& s) { decode_pending_export(s, back); });
    CHECK_THROWS_AS(decode_pending_export(encoded + "x", back), CorruptRecord);
    std::string bad_kind = encoded;
    bad_kind[1] = 7;
    CHECK_THROWS_AS(decode_pending_export(bad_kind, back), CorruptRecord);
  }
}

TEST_CASE("an export confirmation round-trips through its codec and damage is refused") {
  ExportConfirm c;
  c.dn = "cn=a";
  c.when_unix_ms = 99;
  c.attributes = {{"mail", IDSYNC_VALUE_STRING, {"a@x"}}, {"tel", IDSYNC_VALUE_STRING, {"1", "2"}}};
  std::string encoded;
  encode_export_confirm(c, encoded);
  ExportConfirm back;
  decode_export_confirm(encoded, back);
  CHECK(back == c);
  check_truncations_refused(encoded, [&](const std::string& s) { decode_export_confirm(s, back); });
  CHECK_THROWS_AS(decode_export_confirm(encoded + "x", back), CorruptRecord);
}

TEST_CASE("a dirty set round-trips, merges as a sorted case-insensitive union, refuses damage") {
  DirtySet a{false, {"department", "mail"}};
  DirtySet b{true, {"Mail", "title"}};
  std::string encoded;
  encode_dirty_set(a, encoded);
  CHECK(decode_dirty_set(encoded) == a);
  const DirtySet m = merge_dirty_sets(a, b);
  CHECK(m.object);
  CHECK(m.names == std::vector<std::string>{"department", "mail", "title"});
  check_truncations_refused(encoded, [&](const std::string& s) { decode_dirty_set(s); });
  CHECK_THROWS_AS(decode_dirty_set(encoded + "x"), CorruptRecord);
}
