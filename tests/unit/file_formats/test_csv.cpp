// CSV (RFC 4180) reading: every format feature and every refusal, with the exact place.
#include <catch2/catch.hpp>

#include "csv_parser.hpp"
#include "csv_reader.hpp"
#include "support.hpp"

using namespace idsync::file;
using namespace filetest;

namespace {

FormatOptions csv(const std::string& anchor = "id") {
  FormatOptions o;
  o.format = Format::csv;
  o.anchor = anchor;
  return o;
}

std::vector<Obj> parse(const std::string& text, const FormatOptions& o = csv(),
                       ReadMode mode = {}) {
  TempDir dir;
  write_file(dir / "people.csv", text);
  return read_all(dir / "people.csv", o, mode);
}

std::string failure(const std::string& text, const FormatOptions& o = csv(), ReadMode mode = {}) {
  idsync_error_kind kind = IDSYNC_ERR_NONE;
  std::string m = error_of([&] { parse(text, o, mode); }, &kind);
  if (!m.empty()) CHECK(kind == IDSYNC_ERR_INVALID_VALUE);
  return m;
}

}  // namespace

TEST_CASE("csv: header names the attributes, the anchor column is anchor and attribute", "[csv]") {
  auto objs = parse("id,givenName,sn\nE1,Ann,Lee\nE2,Bob,Marsh\n");
  REQUIRE(objs.size() == 2);
  CHECK(objs[0].anchor == "E1");
  CHECK(objs[0].type == "person");
  CHECK(objs[0].dn.empty());
  CHECK(objs[0].change == IDSYNC_CHANGE_STATE);
  CHECK(objs[0].attrs ==
        std::vector<Attr>{rep("id", {"E1"}), rep("givenName", {"Ann"}), rep("sn", {"Lee"})});
  CHECK(objs[1].values("sn") == std::vector<std::string>{"Marsh"});
}

TEST_CASE("csv: quoted fields, doubled quotes, delimiters and newlines inside quotes", "[csv]") {
  auto objs = parse(
      "id,cn,note\n"
      "E1,\"Lee, Ann\",\"She said \"\"hi\"\"\"\n"
      "\"E2\",\"two\nlines\r\nhere\",\"\"\n"
      "E3,\"\"\"\",plain\n");
  REQUIRE(objs.size() == 3);
  CHECK(objs[0].values("cn") == std::vector<std::string>{"Lee, Ann"});
  CHECK(objs[0].values("note") == std::vector<std::string>{"She said \"hi\""});
  CHECK(objs[1].anchor == "E2");
  CHECK(objs[1].values("cn") == std::vector<std::string>{"two\nlines\r\nhere"});
  CHECK(objs[1].attr("note") == nullptr);  // "" is an empty field: absent
  CHECK(objs[2].values("cn") == std::vector<std::string>{"\""});
}

TEST_CASE("csv: CRLF and LF line ends, BOM, missing final newline, blank lines", "[csv]") {
  const std::vector<std::string> texts = {
      "id,cn\nE1,a\nE2,b\n",
      "id,cn\r\nE1,a\r\nE2,b\r\n",
      "\xEF\xBB\xBFid,cn\r\nE1,a\r\nE2,b",
      "id,cn\n\nE1,a\n\r\n\nE2,b\n\n",
  };
  for (const auto& t : texts) {
    auto objs = parse(t);
    REQUIRE(objs.size() == 2);
    CHECK(objs[0].attrs == std::vector<Attr>{rep("id", {"E1"}), rep("cn", {"a"})});
    CHECK(objs[1].attrs == std::vector<Attr>{rep("id", {"E2"}), rep("cn", {"b"})});
  }
}

TEST_CASE("csv: configurable delimiter", "[csv]") {
  auto o = csv();
  o.delimiter = '\t';
  auto objs = parse("id\tcn\nE1\tLee, Ann\n", o);
  REQUIRE(objs.size() == 1);
  CHECK(objs[0].values("cn") == std::vector<std::string>{"Lee, Ann"});
  o.delimiter = ';';
  o.multi_value_separator = "|";
  // The quoted part is one field: "a;b|c" split on | gives two values.
  CHECK(parse("id;mail\nE1;\"a;b|c\"\n", o)[0].values("mail") ==
        std::vector<std::string>{"a;b", "c"});
}

TEST_CASE("csv: multi-value separator inside a field", "[csv]") {
  auto objs = parse("id,mail,cn\nE1,a@x;b@x;;c@x,Ann\nE2,,Bob\nE3,;,C\n");
  CHECK(objs[0].values("mail") ==
        std::vector<std::string>{"a@x", "b@x", "c@x"});  // empty pieces dropped
  CHECK(objs[1].attr("mail") == nullptr);
  CHECK(objs[2].attr("mail") == nullptr);  // only separators: no values, absent
  auto o = csv();
  o.multi_value_separator = "||";
  CHECK(parse("id,mail\nE1,a|b||c\n", o)[0].values("mail") == std::vector<std::string>{"a|b", "c"});
  o.multi_value_separator = "";
  CHECK(parse("id,mail\nE1,a;b\n", o)[0].values("mail") == std::vector<std::string>{"a;b"});
  // The anchor is never split.
  CHECK(parse("id,cn\nE;1,x\n")[0].anchor == "E;1");
}

TEST_CASE("csv: dn column, object type default and column, attribute filter", "[csv]") {
  auto o = csv();
  o.dn_column = "dn";
  o.object_type_column = "kind";
  auto objs = parse("id,dn,kind,cn,mail\nE1,\"cn=Ann,o=x\",group,Ann,a@x\nE2,cn=Bob,,Bob,\n", o);
  REQUIRE(objs.size() == 2);
  CHECK(objs[0].dn == "cn=Ann,o=x");
  CHECK(objs[0].type == "group");
  CHECK(objs[1].type == "person");  // empty type column: the default
  // dn and type columns are metadata, not attributes.
  CHECK(objs[0].attrs ==
        std::vector<Attr>{rep("id", {"E1"}), rep("cn", {"Ann"}), rep("mail", {"a@x"})});
  o.object_type = "user";
  o.attributes = {"mail"};
  objs = parse("id,dn,kind,cn,mail\nE1,cn=Ann,,Ann,a@x\n", o);
  CHECK(objs[0].type == "user");
  CHECK(objs[0].attrs == std::vector<Attr>{rep("id", {"E1"}), rep("mail", {"a@x"})});
  // The DN column may be the anchor.
  auto d = csv("dn");
  d.dn_column = "dn";
  objs = parse("dn,cn\ncn=a,A\n", d);
  CHECK(objs[0].anchor == "cn=a");
  CHECK(objs[0].dn == "cn=a");
  CHECK(objs[0].attrs == std::vector<Attr>{rep("dn", {"cn=a"}), rep("cn", {"A"})});
}

TEST_CASE("csv: change type column", "[csv]") {
  auto o = csv();
  o.change_type_column = "op";
  const std::string text = "id,op,cn\nE1,add,A\nE2,UPDATE,B\nE3,delete,\nE4,,D\nE5,state,E\n";
  auto objs = parse(text, o, ReadMode{true, false});
  REQUIRE(objs.size() == 5);
  CHECK(objs[0].change == IDSYNC_CHANGE_ADD);
  CHECK(objs[1].change == IDSYNC_CHANGE_UPDATE);
  CHECK(objs[2].change == IDSYNC_CHANGE_DELETE);
  CHECK(objs[3].change == IDSYNC_CHANGE_STATE);
  CHECK(objs[4].change == IDSYNC_CHANGE_STATE);
  CHECK(objs[0].attr("op") == nullptr);
  // In a full-state file only add/state may appear, and both mean state.
  CHECK(parse("id,op,cn\nE1,add,A\n", o)[0].change == IDSYNC_CHANGE_STATE);
  CHECK(failure("id,op,cn\nE1,add,A\nE2,delete,B\n", o) ==
        "people.csv:3: change type \"delete\" is only allowed in a change file; this file holds "
        "full state");
  CHECK(failure("id,op,cn\nE1,remove,A\n", o, ReadMode{true, false}) ==
        "people.csv:2: unknown change type \"remove\" in column \"op\" (expected add, update, "
        "delete or state)");
  // A change file must have the column.
  CHECK(failure("id,cn\nE1,A\n", o, ReadMode{true, false}) ==
        "people.csv:1: no column \"op\" (change_type_column) in the header: id, cn");
}

TEST_CASE("csv: a change file stops before an unterminated last row", "[csv]") {
  auto o = csv();
  o.change_type_column = "op";
  auto objs = parse("id,op\nE1,add\nE2,delete", o, ReadMode{true, true});
  REQUIRE(objs.size() == 1);
  CHECK(objs[0].anchor == "E1");
  // ... also when the unterminated row ends inside a quoted field.
  objs = parse("id,op\nE1,add\n\"E2\nstill", o, ReadMode{true, true});
  CHECK(objs.size() == 1);
}

TEST_CASE("csv: refusals name file, line and column", "[csv][errors]") {
  // Unbalanced quote: the line (and column) where the quoted field started.
  CHECK(failure("id,cn\nE1,a\nE2,\"open\nmore\nstill open\n") ==
        "people.csv:3:4: quoted field is not closed (the file ends inside it)");
  CHECK(failure("id,cn\nE1,a\nE2,b,c\n") ==
        "people.csv:3: expected 2 fields as in the header, found 3");
  CHECK(failure("id,cn\nE1\n") == "people.csv:2: expected 2 fields as in the header, found 1");
  // Line counting continues correctly after a multi-line quoted field.
  CHECK(failure("id,cn\nE1,\"a\nb\nc\"\nE2\n") ==
        "people.csv:5: expected 2 fields as in the header, found 1");
  CHECK(failure("id,cn\nE1,ok\nE2,J\xFCrgen\n") == "people.csv:3:5: invalid UTF-8 (byte 0xfc)");
  CHECK(failure("id,cn\nE1,\"multi\nli\xC3ne\"\n") == "people.csv:3:3: invalid UTF-8 (byte 0xc3)");
  CHECK(failure("id,cn\n,Ann\n") == "people.csv:2: empty anchor (column \"id\")");
  CHECK(failure("id,cn\n\"\",Ann\n") == "people.csv:2: empty anchor (column \"id\")");
  CHECK(failure("id,cn\nE1,ab\"c\n") ==
        "people.csv:2:6: quote inside an unquoted field (quote the whole field and double the "
        "quote)");
  CHECK(failure("id,cn\nE1,\"ab\"c\n") ==
        "people.csv:2:8: unexpected character after the closing quote of a field");
  CHECK(failure("id,cn\nE1,a\rE2,b\n") ==
        "people.csv:2:5: carriage return not followed by a line feed");
  CHECK(failure("employeeId,cn\nE1,a\n") ==
        "people.csv:1: no column \"id\" (anchor_column) in the header: employeeId, cn");
  CHECK(failure("id,cn,cn\nE1,a,b\n") == "people.csv:1: column \"cn\" appears twice in the header");
  CHECK(failure("id,,x\nE1,a,b\n") == "people.csv:1: column 2 of the header has no name");
  CHECK(failure("") == "people.csv:1: the file is empty: expected a header row");
  auto o = csv();
  o.attributes = {"mail"};
  CHECK(failure("id,cn\nE1,a\n", o) ==
        "people.csv:1: no column \"mail\" (listed in attributes); the header has 2 columns");
  o = csv();
  o.dn_column = "dn";
  CHECK(failure("id,cn\nE1,a\n", o) ==
        "people.csv:1: no column \"dn\" (dn_column) in the header: id, cn");
}

TEST_CASE("csv: records spanning buffer refills parse exactly", "[csv]") {
  // More than the 1 MiB read buffer, with quoted multi-line fields and escapes at every
  // possible offset relative to the buffer end, and one row larger than the buffer.
  TempDir dir;
  std::string text = "id,cn,note\n";
  std::vector<std::string> notes;
  for (int i = 0; i < 40000; ++i) {
    std::string note =
        "n" + std::to_string(i) + std::string(i % 37, 'x') + "\"\"q\n" + std::string(i % 5, ',');
    notes.push_back("n" + std::to_string(i) + std::string(i % 37, 'x') + "\"q\n" +
                    std::string(i % 5, ','));
    text += "E" + std::to_string(i) + ",c" + std::to_string(i) + ",\"" + note + "\"\r\n";
  }
  const std::string big(3 << 20, 'b');
  text += "BIG,\"" + big + "\",x\n";
  write_file(dir / "people.csv", text);
  auto objs = read_all(dir / "people.csv", csv());
  REQUIRE(objs.size() == 40001);
  for (int i = 0; i < 40000; ++i) {
    REQUIRE(objs[i].anchor == "E" + std::to_string(i));
    REQUIRE(objs[i].values("note") == std::vector<std::string>{notes[i]});
  }
  CHECK(objs[40000].values("cn") == std::vector<std::string>{big});
}

TEST_CASE("csv: a row larger than 64 MiB is refused", "[csv][errors]") {
  TempDir dir;
  std::string text = "id,cn\nE1,a\nE2,\"";
  text.append((64u << 20) + 10, 'z');
  write_file(dir / "people.csv", text);
  CHECK(error_of([&] { read_all(dir / "people.csv", csv()); }) ==
        "people.csv:3: row is larger than 64 MiB (is a quoted field on this line missing its "
        "closing quote?)");
}

TEST_CASE("csv: tokenizer positions are exact byte offsets and lines", "[csv]") {
  TempDir dir;
  write_file(dir / "p.csv", "\xEF\xBB\xBFid,cn\r\nE1,\"a\nb\"\r\n\r\nE2,c\n");
  InputFile file(dir / "p.csv");
  CsvParser parser(file, "p.csv", ',', false);
  CsvRow row;
  REQUIRE(parser.next(row));
  CHECK(row.line == 1);
  CHECK(row.offset == 3);
  CHECK(parser.position() == Position{10, 2});
  REQUIRE(parser.next(row));
  CHECK(row.line == 2);
  CHECK(parser.position() == Position{20, 4});
  REQUIRE(parser.next(row));
  CHECK(row.line == 5);
  CHECK(row.offset == 22);
  CHECK(parser.position() == Position{27, 6});
  CHECK_FALSE(parser.next(row));
  // Seeking to a recorded position continues from there.
  parser.seek(Position{20, 4});
  REQUIRE(parser.next(row));
  CHECK(row.fields == std::vector<std::string_view>{"E2", "c"});
  CHECK(row.line == 5);
}
