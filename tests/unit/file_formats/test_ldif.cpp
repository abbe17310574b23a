// LDIF (RFC 2849) reading: content records, folding, base64, comments, change records, and
// every refusal with its line.
#include <catch2/catch.hpp>

#include "support.hpp"

using namespace idsync::file;
using namespace filetest;

namespace {

FormatOptions ldif(const std::string& anchor = "entryUUID") {
  FormatOptions o;
  o.format = Format::ldif;
  o.anchor = anchor;
  return o;
}

std::vector<Obj> parse(const std::string& text, const FormatOptions& o = ldif(),
                       ReadMode mode = {}) {
  TempDir dir;
  write_file(dir / "people.ldif", text);
  return read_all(dir / "people.ldif", o, mode);
}

const ReadMode kChanges{true, false};

std::string failure(const std::string& text, const FormatOptions& o = ldif(), ReadMode mode = {}) {
  idsync_error_kind kind = IDSYNC_ERR_NONE;
  std::string m = error_of([&] { parse(text, o, mode); }, &kind);
  if (!m.empty()) CHECK(kind == IDSYNC_ERR_INVALID_VALUE);
  return m;
}

Attr attr(const std::string& name, idsync_value_type type, idsync_attr_op op,
          std::vector<std::string> values) {
  return Attr{name, type, op, std::move(values)};
}

const std::string kContent =
    "version: 1\n"
    "\n"
    "# People of example.com\n"
    "#  (this comment is folded)\n"
    "dn: cn=Ann Lee,ou=People,dc=example,dc=com\n"
    "objectClass: top\n"
    "objectClass: person\n"
    "# a comment inside the record\n"
    "objectclass: inetOrgPerson\n"
    "entryUUID: 1111\n"
    "cn: Ann Lee\n"
    "description: folded va\n"
    " lue conti\n"
    " nues\n"
    "mail: ann@x\n"
    "Mail: ann2@x\n"
    "jpegPhoto:: /9j/4AAQ\n"
    "cn;lang-de: Anna\n"
    "\n"
    "\n"
    "dn:: Y249SsO8cmdlbixkYz14\n"
    "entryUUID: 2222\n"
    "sn:: SsO8cm\n"
    " dlbg==\n"
    "givenName: J\xC3\n"
    " \xBCrgen\n"
    "title::   IGxlYWRpbmcgc3BhY2U=\n"
    "empty:\n";

}  // namespace

TEST_CASE("ldif: content records with folding, base64, comments and grouping", "[ldif]") {
  auto objs = parse(kContent);
  REQUIRE(objs.size() == 2);
  const Obj& ann = objs[0];
  CHECK(ann.dn == "cn=Ann Lee,ou=People,dc=example,dc=com");
  CHECK(ann.anchor == "1111");
  CHECK(ann.type == "person");
  CHECK(ann.change == IDSYNC_CHANGE_STATE);
  CHECK(ann.attrs == std::vector<Attr>{
                         rep("objectClass", {"top", "person", "inetOrgPerson"}),
                         rep("entryUUID", {"1111"}),
                         rep("cn", {"Ann Lee"}),
                         rep("description", {"folded value continues"}),
                         rep("mail", {"ann@x", "ann2@x"}),
                         attr("jpegPhoto", IDSYNC_VALUE_BINARY, IDSYNC_ATTR_REPLACE,
                              {std::string("\xFF\xD8\xFF\xE0\x00\x10", 6)}),
                         rep("cn;lang-de", {"Anna"}),
                     });
  const Obj& j = objs[1];
  CHECK(j.dn == "cn=J\xC3\xBCrgen,dc=x");
  CHECK(j.anchor == "2222");
  CHECK(j.values("sn") == std::vector<std::string>{"J\xC3\xBCrgen"});
  CHECK(j.attr("sn")->type == IDSYNC_VALUE_STRING);  // base64 of UTF-8 text stays text
  CHECK(j.values("givenName") ==
        std::vector<std::string>{"J\xC3\xBCrgen"});  // fold inside a UTF-8 sequence
  CHECK(j.values("title") == std::vector<std::string>{" leading space"});
  CHECK(j.values("empty") == std::vector<std::string>{""});
}

TEST_CASE("ldif: CRLF line ends read the same", "[ldif]") {
  std::string crlf;
  for (char c : kContent) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  CHECK(parse(crlf) == parse(kContent));
}

TEST_CASE("ldif: object type from the last value of object_type_column, dn as anchor, filter",
          "[ldif]") {
  auto o = ldif();
  o.object_type_column = "objectClass";
  CHECK(parse(kContent, o)[0].type == "inetOrgPerson");
  CHECK(parse(kContent, o)[1].type == "person");  // no objectClass: the default
  o = ldif("dn");
  auto objs = parse("dn: cn=a,dc=x\ncn: a\n", o);
  CHECK(objs[0].anchor == "cn=a,dc=x");
  CHECK(objs[0].attrs == std::vector<Attr>{rep("cn", {"a"})});
  o = ldif();
  o.attributes = {"mail"};
  objs = parse(kContent, o);
  CHECK(objs[0].attrs ==
        std::vector<Attr>{rep("entryUUID", {"1111"}), rep("mail", {"ann@x", "ann2@x"})});
}

TEST_CASE("ldif: changetype add in a full-state file is state", "[ldif]") {
  auto objs = parse("dn: cn=a\nchangetype: add\nentryUUID: 1\ncn: a\n");
  REQUIRE(objs.size() == 1);
  CHECK(objs[0].change == IDSYNC_CHANGE_STATE);
  CHECK(objs[0].attrs == std::vector<Attr>{rep("entryUUID", {"1"}), rep("cn", {"a"})});
}

TEST_CASE("ldif: change records in a change file", "[ldif]") {
  const std::string text =
      "version: 1\n"
      "\n"
      "dn: cn=new,dc=x\n"
      "changetype: add\n"
      "entryUUID: 3333\n"
      "cn: new\n"
      "\n"
      "dn: cn=gone,dc=x\n"
      "changetype: delete\n"
      "entryUUID: 4444\n"
      "\n"
      "dn: cn=ann,dc=x\n"
      "changetype: modify\n"
      "entryUUID: 1111\n"
      "add: mail\n"
      "mail: extra@x\n"
      "-\n"
      "delete: phone\n"
      "-\n"
      "delete: mail\n"
      "mail: old@x\n"
      "-\n"
      "replace: title\n"
      "title: Boss\n"
      "-\n"
      "replace: manager\n"
      "\n"
      "dn: cn=ann,ou=a,dc=x\n"
      "changetype: modrdn\n"
      "entryUUID: 1111\n"
      "newrdn: cn=Anna\n"
      "deleteoldrdn: 1\n"
      "newsuperior: ou=b,dc=x\n"
      "\n"
      "dn: cn=bob,ou=a,dc=x\n"
      "changetype: moddn\n"
      "newrdn: cn=Bobby\n"
      "deleteoldrdn: 0\n"
      "entryUUID: 5555\n";
  auto objs = parse(text, ldif(), kChanges);
  REQUIRE(objs.size() == 5);
  CHECK(objs[0].change == IDSYNC_CHANGE_ADD);
  CHECK(objs[0].anchor == "3333");
  CHECK(objs[0].attrs == std::vector<Attr>{rep("entryUUID", {"3333"}), rep("cn", {"new"})});
  CHECK(objs[1].change == IDSYNC_CHANGE_DELETE);
  CHECK(objs[1].anchor == "4444");
  CHECK(objs[1].dn == "cn=gone,dc=x");
  CHECK(objs[2].change == IDSYNC_CHANGE_UPDATE);
  CHECK(objs[2].anchor == "1111");
  CHECK(objs[2].attrs == std::vector<Attr>{
                             attr("mail", IDSYNC_VALUE_STRING, IDSYNC_ATTR_ADD, {"extra@x"}),
                             attr("phone", IDSYNC_VALUE_STRING, IDSYNC_ATTR_REMOVE, {}),
                             attr("mail", IDSYNC_VALUE_STRING, IDSYNC_ATTR_REMOVE, {"old@x"}),
                             attr("title", IDSYNC_VALUE_STRING, IDSYNC_ATTR_REPLACE, {"Boss"}),
                             attr("manager", IDSYNC_VALUE_STRING, IDSYNC_ATTR_REPLACE, {}),
                         });
  CHECK(objs[3].change == IDSYNC_CHANGE_UPDATE);
  CHECK(objs[3].dn == "cn=Anna,ou=b,dc=x");
  CHECK(objs[3].attrs ==
        std::vector<Attr>{attr("cn", IDSYNC_VALUE_STRING, IDSYNC_ATTR_REMOVE, {"ann"}),
                          attr("cn", IDSYNC_VALUE_STRING, IDSYNC_ATTR_ADD, {"Anna"})});
  CHECK(objs[4].dn == "cn=Bobby,ou=a,dc=x");
  CHECK(objs[4].anchor == "5555");
  CHECK(objs[4].attrs ==
        std::vector<Attr>{attr("cn", IDSYNC_VALUE_STRING, IDSYNC_ATTR_ADD, {"Bobby"})});
}

TEST_CASE("ldif: a change record may rely on the DN when the DN is the anchor", "[ldif]") {
  auto objs = parse("dn: cn=gone,dc=x\nchangetype: delete\n", ldif("dn"), kChanges);
  REQUIRE(objs.size() == 1);
  CHECK(objs[0].anchor == "cn=gone,dc=x");
  CHECK(objs[0].change == IDSYNC_CHANGE_DELETE);
}

TEST_CASE("ldif: a change file stops before a record without a blank line after it", "[ldif]") {
  const std::string text =
      "dn: cn=a\nchangetype: delete\nentryUUID: 1\n\ndn: cn=b\nchangetype: delete\nentryUUID: 2\n";
  CHECK(parse(text, ldif(), ReadMode{true, true}).size() == 1);
  CHECK(parse(text + "\n", ldif(), ReadMode{true, true}).size() == 2);
  CHECK(parse(text, ldif(), kChanges).size() == 2);
}

TEST_CASE("ldif: refusals name file and line", "[ldif][errors]") {
  CHECK(failure("dn: x\nentryUUID: 1\nbadline\n") ==
        "people.ldif:3: malformed line: expected \"attribute: value\"");
  CHECK(failure("dn: x\nentryUUID: 1\nc n: x\n") ==
        "people.ldif:3: malformed line: \"c n\" is not an attribute name");
  CHECK(failure("dn: x\nentryUUID: 1\nphoto:: ab*d\n") ==
        "people.ldif:3: bad base64 in the value of photo: character '*' is not base64 (at "
        "character 3)");
  // A folded bad value is reported at the line it starts on.
  CHECK(failure("dn: x\nentryUUID: 1\nphoto:: YWJj\n ZA=\n") ==
        "people.ldif:3: bad base64 in the value of photo: length 7 is not a multiple of 4 (at "
        "character 8)");
  CHECK(failure("dn: x\nentryUUID: 1\ncn: J\xFCrgen\n") ==
        "people.ldif:3: invalid UTF-8 in the value of cn (write binary values as \"cn:: base64\")");
  CHECK(failure("dn: a\nentryUUID: 1\n\ncn: x\n") ==
        "people.ldif:4: a record must start with \"dn:\"");
  CHECK(failure("dn: cn=a\ncn: a\n") ==
        "people.ldif:1: the record has no entryUUID line; the anchor attribute must be present "
        "(add \"entryUUID: "
        "<value>\" to the record, or set anchor_attribute to dn)");
  CHECK(failure("dn: cn=a\nentryUUID: 1\nentryuuid: 2\n") ==
        "people.ldif:3: the anchor attribute entryUUID has more than one value");
  CHECK(failure("dn: cn=a\nentryUUID:\n") == "people.ldif:2: empty anchor (attribute entryUUID)");
  CHECK(failure("dn: cn=a\nchangetype: modify\nentryUUID: 1\nadd: mail\nmail: x\n") ==
        "people.ldif:2: changetype modify is only allowed in a change file; this file holds full "
        "state");
  CHECK(
      failure("dn: cn=a\nchangetype: frob\n", ldif(), kChanges) ==
      "people.ldif:2: unknown changetype \"frob\" (expected add, delete, modify, modrdn or moddn)");
  CHECK(failure("dn: cn=a\nentryUUID: 1\njpegPhoto:< file:///etc/passwd\n") ==
        "people.ldif:3: URL values (\"jpegPhoto:< ...\") are not supported; inline the value");
  CHECK(failure("dn: cn=a\nentryUUID: 1\n\n continued\n") ==
        "people.ldif:4: continuation line (starting with a space) with no line to continue");
  CHECK(failure("version: 2\n\ndn: cn=a\nentryUUID: 1\n") ==
        "people.ldif:1: unsupported LDIF version \"2\" (expected 1)");
  CHECK(failure("dn: cn=a\ncontrol: 1.2.3\nentryUUID: 1\n") ==
        "people.ldif:2: LDIF controls are not supported");
  CHECK(failure("dn: cn=a\nentryUUID: 1\n-\n") ==
        "people.ldif:3: \"-\" is only allowed in a changetype: modify record");
  CHECK(failure("dn: cn=a\nentryUUID: 1\ndn: cn=b\n") ==
        "people.ldif:3: \"dn\" may only appear at the start of a record");
  CHECK(failure("dn: cn=a\nchangetype: delete\nentryUUID: 1\ncn: a\n", ldif(), kChanges) ==
        "people.ldif:4: a changetype: delete record may only name the anchor attribute entryUUID");
  CHECK(failure("dn: cn=a\nchangetype: delete\n", ldif(), kChanges) ==
        "people.ldif:1: the changetype: delete record has no entryUUID line; the anchor attribute "
        "must be present "
        "(add \"entryUUID: <value>\" to the record, or set anchor_attribute to dn)");
  CHECK(failure("dn: cn=a\nchangetype: modify\nentryUUID: 1\nadd: mail\ncn: x\n-\n", ldif(),
                kChanges) == "people.ldif:5: expected a value of mail or \"-\", found \"cn\"");
  CHECK(failure("dn: cn=a\nchangetype: modify\nentryUUID: 1\ncn: x\n", ldif(), kChanges) ==
        "people.ldif:4: expected \"add:\", \"delete:\" or \"replace:\" in a changetype: modify "
        "record");
  CHECK(failure("dn: cn=a\nchangetype: modrdn\nnewrdn: cn=b\ndeleteoldrdn: 1\n", ldif("dn"),
                kChanges) ==
        "people.ldif:1: a modrdn record would change the anchor, which is the DN here "
        "(anchor_attribute dn)");
  CHECK(failure("dn: cn=a\nchangetype: modrdn\nentryUUID: 1\nnewrdn: cn=b\n", ldif(), kChanges) ==
        "people.ldif:1: the modrdn record needs \"deleteoldrdn: 0\" or \"deleteoldrdn: 1\"");
  CHECK(failure("dn:: /w==\nentryUUID: 1\n") == "people.ldif:1: the DN is not UTF-8 text");
}
