// JSON Lines reading: value types, metadata keys, change records and every refusal with line
// and column.
#include <catch2/catch.hpp>

#include "support.hpp"

using namespace idsync::file;
using namespace filetest;

namespace {

FormatOptions jsonl(const std::string& anchor = "id") {
  FormatOptions o;
  o.format = Format::jsonl;
  o.anchor = anchor;
  return o;
}

std::vector<Obj> parse(const std::string& text, const FormatOptions& o = jsonl(),
                       ReadMode mode = {}) {
  TempDir dir;
  write_file(dir / "people.jsonl", text);
  return read_all(dir / "people.jsonl", o, mode);
}

std::string failure(const std::string& text, const FormatOptions& o = jsonl(), ReadMode mode = {}) {
  idsync_error_kind kind = IDSYNC_ERR_NONE;
  std::string m = error_of([&] { parse(text, o, mode); }, &kind);
  if (!m.empty()) CHECK(kind == IDSYNC_ERR_INVALID_VALUE);
  return m;
}

Attr typed(const std::string& name, idsync_value_type type, std::vector<std::string> values,
           idsync_attr_op op = IDSYNC_ATTR_REPLACE) {
  return Attr{name, type, op, std::move(values)};
}

}  // namespace

TEST_CASE("jsonl: value types, arrays, null, metadata keys", "[jsonl]") {
  auto objs = parse(
      "{\"id\": \"E1\", \"_dn\": \"cn=Ann\", \"cn\": \"Ann \\\"A\\\" L\\u00e9e\\n\", \"age\": 42, "
      "\"active\": true,"
      " \"score\": 1.50, \"mail\": [\"a@x\", \"b@x\"], \"phones\": [], \"manager\": null, "
      "\"mixed\": [1, \"two\"],"
      " \"big\": 18446744073709551615, \"flags\": [true, false]}\n"
      "\n"
      "   \n"
      "{\"id\": 7, \"_object_type\": \"group\"}\r\n");
  REQUIRE(objs.size() == 2);
  const Obj& e1 = objs[0];
  CHECK(e1.anchor == "E1");
  CHECK(e1.dn == "cn=Ann");
  CHECK(e1.type == "person");
  CHECK(e1.attrs == std::vector<Attr>{
                        rep("id", {"E1"}),
                        rep("cn", {"Ann \"A\" L\xC3\xA9"
                                   "e\n"}),
                        typed("age", IDSYNC_VALUE_INTEGER, {"42"}),
                        typed("active", IDSYNC_VALUE_BOOLEAN, {"true"}),
                        rep("score", {"1.50"}),  // the text as written
                        rep("mail", {"a@x", "b@x"}),
                        rep("mixed", {"1", "two"}),
                        rep("big", {"18446744073709551615"}),  // beyond int64: text
                        typed("flags", IDSYNC_VALUE_BOOLEAN, {"true", "false"}),
                    });
  CHECK(objs[1].anchor == "7");  // an integer anchor is its decimal text
  CHECK(objs[1].type == "group");
  CHECK(objs[1].attrs == std::vector<Attr>{typed("id", IDSYNC_VALUE_INTEGER, {"7"})});
}

TEST_CASE("jsonl: _dn as anchor, object_type_column, attribute filter", "[jsonl]") {
  auto objs = parse("{\"_dn\": \"cn=a\", \"cn\": \"a\"}\n", jsonl("_dn"));
  CHECK(objs[0].anchor == "cn=a");
  CHECK(objs[0].attrs == std::vector<Attr>{rep("cn", {"a"})});
  auto o = jsonl();
  o.object_type_column = "kind";
  o.attributes = {"cn"};
  objs = parse("{\"id\": \"1\", \"kind\": \"group\", \"cn\": \"g\", \"x\": \"y\"}\n", o);
  CHECK(objs[0].type == "group");
  CHECK(objs[0].attrs == std::vector<Attr>{rep("id", {"1"}), rep("cn", {"g"})});
}

TEST_CASE("jsonl: change records", "[jsonl]") {
  const std::string text =
      "{\"id\": \"1\", \"_change\": \"add\", \"cn\": \"a\"}\n"
      "{\"id\": \"2\", \"_change\": \"update\", \"cn\": \"b\", \"mail\": null, \"phone\": []}\n"
      "{\"id\": \"3\", \"_change\": \"delete\", \"cn\": \"ignored\"}\n"
      "{\"id\": \"4\", \"cn\": \"d\", \"mail\": null}\n";
  auto objs = parse(text, jsonl(), ReadMode{true, false});
  REQUIRE(objs.size() == 4);
  CHECK(objs[0].change == IDSYNC_CHANGE_ADD);
  CHECK(objs[1].change == IDSYNC_CHANGE_UPDATE);
  // In an update, null and [] clear the attribute.
  CHECK(objs[1].attrs ==
        std::vector<Attr>{rep("id", {"2"}), rep("cn", {"b"}), rep("mail", {}), rep("phone", {})});
  CHECK(objs[2].change == IDSYNC_CHANGE_DELETE);
  CHECK(objs[2].attrs.empty());
  CHECK(objs[3].change == IDSYNC_CHANGE_STATE);
  CHECK(objs[3].attrs == std::vector<Attr>{rep("id", {"4"}), rep("cn", {"d"})});  // null: absent
  // A change file stops before an unterminated last line.
  CHECK(parse(text + "{\"id\": \"5\"", jsonl(), ReadMode{true, true}).size() == 4);
  // Full-state files accept add/state only.
  CHECK(parse("{\"id\": \"1\", \"_change\": \"add\"}\n")[0].change == IDSYNC_CHANGE_STATE);
}

TEST_CASE("jsonl: refusals name file, line and column", "[jsonl][errors]") {
  CHECK(failure("{\"id\": \"1\"}\n{\"id\": \"2\", \"cn\": }\n") ==
        "people.jsonl:2:19: bad JSON: syntax error");
  CHECK(failure("{\"id\": \"1\"}\n[1,2]\n") ==
        "people.jsonl:2:1: expected a JSON object, found an array");
  CHECK(failure("\"just a string\"\n") == "people.jsonl:1:15: expected a JSON object");
  CHECK(failure("{\"id\": \"1\", \"address\": {\"city\": \"x\"}}\n") ==
        "people.jsonl:1:24: nested objects are not supported (key \"address\")");
  CHECK(failure("{\"id\": \"1\", \"m\": [[1]]}\n") ==
        "people.jsonl:1:19: nested arrays are not supported (key \"m\")");
  CHECK(failure("{\"id\": \"1\", \"m\": [\"a\", null]}\n") ==
        "people.jsonl:1:24: null inside the array of \"m\"");
  CHECK(failure("{\"id\": \"1\", \"cn\": \"a\", \"cn\": \"b\"}\n") ==
        "people.jsonl:1: duplicate key \"cn\"");
  CHECK(failure("{\"id\": \"1\", \"cn\": \"J\xFCrgen\"}\n") == "people.jsonl:1:21: invalid UTF-8");
  CHECK(failure("{\"cn\": \"a\"}\n") == "people.jsonl:1: no \"id\" key (the anchor)");
  CHECK(failure("{\"id\": \"\"}\n") == "people.jsonl:1: empty anchor (key \"id\")");
  CHECK(failure("{\"id\": [\"1\", \"2\"]}\n") ==
        "people.jsonl:1: \"id\" must be a single string or integer");
  CHECK(failure("{\"id\": true}\n") == "people.jsonl:1: \"id\" must be a single string or integer");
  CHECK(failure("{\"id\": \"1\", \"_dn\": 5}\n") ==
        "people.jsonl:1: \"_dn\" must be a single string");
  CHECK(failure("{\"id\": \"1\", \"_change\": \"delete\"}\n") ==
        "people.jsonl:1: _change \"delete\" is only allowed in a change file; this file holds full "
        "state");
  CHECK(failure("{\"id\": \"1\", \"_change\": \"zap\"}\n", jsonl(), ReadMode{true, false}) ==
        "people.jsonl:1: unknown _change \"zap\" (expected add, update, delete or state)");
  CHECK(failure("{\"id\": \"1\"} x\n") ==
        "people.jsonl:1:13: unexpected text after the JSON object");
  CHECK(failure("{\"id\": \"1\"}\n{\"id\": \"2\"\n") ==
        "people.jsonl:2:11: bad JSON: incomplete JSON");
  CHECK(failure("{\"_dn\": \"\"}\n", jsonl("_dn")) == "people.jsonl:1: empty anchor (no \"_dn\")");
}
