#include "store/codec.hpp"

#include <catch2/catch.hpp>

using namespace idsync::store;

TEST_CASE("a connector-space object survives encoding unchanged") {
  CsObject o;
  o.anchor = "ignored: the anchor is the key";
  o.object_type = "person";
  o.dn = "CN=Ada,OU=People,DC=example,DC=com";
  o.previous_dn = "CN=Ada L,OU=People,DC=example,DC=com";
  o.pending = PendingChange::update;
  o.changed_attributes = {"mail", "sn"};
  o.attributes = {{"mail", IDSYNC_VALUE_STRING, {"ada@example.com", "al@example.com"}},
                  {"objectGUID", IDSYNC_VALUE_BINARY, {std::string("\x00\x01\xff", 3)}}};
  std::string bytes;
  encode_cs_object(o, bytes);
  CsObject back;
  decode_cs_object("a1", bytes, back);
  CHECK(back.anchor == "a1");
  CHECK(back.object_type == o.object_type);
  CHECK(back.dn == o.dn);
  CHECK(back.previous_dn == o.previous_dn);
  CHECK(back.pending == PendingChange::update);
  CHECK(back.changed_attributes == o.changed_attributes);
  CHECK(back.attributes == o.attributes);
}

TEST_CASE("value changes survive encoding, and a record without them keeps format 1") {
  CsObject o;
  o.object_type = "group";
  o.pending = PendingChange::update;
  o.changed_attributes = {"member"};
  o.attributes = {{"member", IDSYNC_VALUE_REFERENCE, {"cn=a", "cn=c"}}};
  std::string plain;
  encode_cs_object(o, plain);
  CHECK(plain[0] == 1);
  o.value_changes = {{"member", {"cn=c"}, {"cn=b"}}};
  std::string bytes;
  encode_cs_object(o, bytes);
  CHECK(bytes[0] == 2);
  CsObject back;
  decode_cs_object("g", bytes, back);
  CHECK(back.value_changes == o.value_changes);
  CHECK(back.attributes == o.attributes);
  // The attribute section is the same bytes whatever the header holds.
  CHECK(bytes.substr(parse_cs_header(bytes).attributes_offset) ==
        plain.substr(parse_cs_header(plain).attributes_offset));
  for (size_t cut = 0; cut < bytes.size(); ++cut)
    CHECK_THROWS_AS(decode_cs_object("g", bytes.substr(0, cut), back), CorruptRecord);
  // Decoding a record without value changes into an object that had some clears them.
  decode_cs_object("g", plain, back);
  CHECK(back.value_changes.empty());
}

TEST_CASE("truncated and foreign records are reported as corrupt") {
  CsObject o;
  o.object_type = "person";
  o.attributes = {{"cn", IDSYNC_VALUE_STRING, {"Ada"}}};
  std::string bytes;
  encode_cs_object(o, bytes);
  CsObject back;
  for (size_t cut = 0; cut < bytes.size(); ++cut)
    CHECK_THROWS_AS(decode_cs_object("a", bytes.substr(0, cut), back), CorruptRecord);
  std::string foreign = bytes;
  foreign[0] = 99;
  CHECK_THROWS_WITH(decode_cs_object("a", foreign, back),
                    Catch::Contains("unknown connector-space record format 99"));
  CHECK_THROWS_WITH(decode_cs_object("a", bytes + "x", back), Catch::Contains("trailing bytes"));
}

TEST_CASE("varints round-trip at their boundaries") {
  for (uint64_t v : {0ull, 127ull, 128ull, 16383ull, 16384ull, 0xffffffffull, ~0ull}) {
    std::string s;
    Encoder(s).varint(v);
    Decoder d(s);
    CHECK(d.varint() == v);
    CHECK(d.done());
  }
}

TEST_CASE("a placeholder awaiting its add is format 3, and confirming it changes that byte only") {
  CsObject o;
  o.anchor = "E1";
  o.object_type = "inetOrgPerson";
  o.dn = "uid=E1,ou=people";
  o.awaiting_add = true;
  std::string v;
  encode_cs_object(o, v);
  CHECK(static_cast<uint8_t>(v[0]) == 3);
  CsObject back;
  decode_cs_object("E1", v, back);
  CHECK(back.awaiting_add);
  CHECK(back.dn == o.dn);
  CHECK(back.object_type == o.object_type);
  CHECK(parse_cs_header(v).awaiting_add);

  const std::string confirmed = confirmed_placeholder(v);
  CHECK(confirmed.substr(1) == v.substr(1));
  CsObject in_system;
  decode_cs_object("E1", confirmed, in_system);
  CHECK_FALSE(in_system.awaiting_add);
  CHECK_FALSE(parse_cs_header(confirmed).awaiting_add);
  o.awaiting_add = false;
  std::string plain;
  encode_cs_object(o, plain);
  CHECK(confirmed == plain);
  // Only a placeholder's record can be confirmed.
  CHECK_THROWS_AS(confirmed_placeholder(plain), CorruptRecord);
  CHECK_THROWS_AS(confirmed_placeholder(""), CorruptRecord);
}

TEST_CASE("a first import's object is format 1 with its own format byte") {
  CsObject o;
  o.anchor = "h1";
  o.object_type = "person";
  o.dn = "cn=h1";
  o.attributes = {{"mail", IDSYNC_VALUE_STRING, {"h1@example.com"}},
                  {"sn", IDSYNC_VALUE_STRING, {"One"}}};
  o.first_import = true;
  std::string v;
  encode_cs_object(o, v);
  CHECK(static_cast<uint8_t>(v[0]) == 4);
  CsObject back;
  decode_cs_object("h1", v, back);
  CHECK(back.first_import);
  CHECK(back.pending == PendingChange::none);
  CHECK(back.attributes == o.attributes);
  CHECK(back.dn == o.dn);
  const CsHeaderView h = parse_cs_header(v);
  CHECK(h.first_import);
  CHECK_FALSE(h.awaiting_add);
  CHECK(h.pending == PendingChange::none);

  // The importer's direct encoding is the same record.
  std::string direct;
  encode_first_import_header(o.object_type, o.dn, direct);
  encode_cs_attributes(o.attributes, direct);
  CHECK(direct == v);

  // Byte for byte format 1 otherwise.
  o.first_import = false;
  std::string plain;
  encode_cs_object(o, plain);
  CHECK(plain.substr(1) == v.substr(1));
  CHECK_FALSE(parse_cs_header(plain).first_import);

  // The mark never goes with a pending change or a placeholder's mark.
  o.first_import = true;
  o.pending = PendingChange::add;
  CHECK_THROWS_AS(encode_cs_object(o, v), std::logic_error);
  o.pending = PendingChange::none;
  o.awaiting_add = true;
  CHECK_THROWS_AS(encode_cs_object(o, v), std::logic_error);
}

TEST_CASE("a first import's object is a pending add until its connector's first sync") {
  CsObject o;
  o.first_import = true;
  CHECK(effective_pending(o, false) == PendingChange::add);
  CHECK(effective_pending(o, true) == PendingChange::none);
  CHECK(as_shown(o, false).pending == PendingChange::add);
  CHECK_FALSE(as_shown(o, false).first_import);
  CHECK(as_shown(o, true).pending == PendingChange::none);
  o.first_import = false;
  o.pending = PendingChange::update;
  CHECK(effective_pending(o, false) == PendingChange::update);
  CHECK(as_shown(o, true).pending == PendingChange::update);
}
