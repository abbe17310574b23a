#include <catch2/catch.hpp>

#include "manifest/json_text.hpp"
#include "support.hpp"

using namespace idsync::manifest;
using idsync::manifest::test::error_of;
using idsync::manifest::test::render;

namespace {

std::vector<std::string> parse_problems(std::string_view text) {
  std::vector<Diagnostic> problems;
  parse_json_text(text, problems);
  return render(problems);
}

}  // namespace

TEST_CASE("syntax errors give line and column", "[json_text]") {
  const std::string syntax =
      "invalid JSON: syntax error (look for a missing comma, colon or quote, or a comma before } "
      "or ])";
  // Missing comma: points at the next key.
  CHECK(parse_problems("{\n  \"a\": 1,\n  \"b\": 2\n  \"c\": 3\n}") ==
        std::vector<std::string>{"4:3: " + syntax});
  // Trailing comma: points at the closing brace.
  CHECK(parse_problems("{\n  \"a\": 1,\n}") == std::vector<std::string>{"3:1: " + syntax});
  // Columns count characters, not bytes: "é" is two bytes.
  CHECK(parse_problems("{\"é\": tru}") == std::vector<std::string>{"1:7: " + syntax});
  CHECK(parse_problems("{\n  \"a\": [1, 2\n") ==
        std::vector<std::string>{
            "3:1: invalid JSON: unexpected end of file (an unclosed {, [ or \")"});
  CHECK(parse_problems("{}\n  x") ==
        std::vector<std::string>{
            "2:3: invalid JSON: unexpected text after the end of the JSON document"});
  CHECK(parse_problems(" \n ") == std::vector<std::string>{"1:1: invalid JSON: the file is empty"});
}

TEST_CASE("comments and trailing commas are not JSON", "[json_text]") {
  CHECK(parse_problems("{\n // note\n}").size() == 1);
  CHECK(parse_problems("[1,]").size() == 1);
}

TEST_CASE("a UTF-8 byte order mark is skipped", "[json_text]") {
  std::vector<Diagnostic> problems;
  auto v = parse_json_text("\xEF\xBB\xBF{\"a\": 1}", problems);
  REQUIRE(problems.empty());
  REQUIRE(v.has_value());
  CHECK(v->at("a").as_int64() == 1);
}

TEST_CASE("duplicate keys are reported by path and parsing goes on", "[json_text]") {
  std::vector<Diagnostic> problems;
  auto v = parse_json_text(
      R"({"a": 1, "b": [{"x": 1}, {"x": 2, "x": 3}], "c": {"Full Import": 1, "Full Import": 2}, "a": 4})",
      problems);
  REQUIRE(v.has_value());
  CHECK(v->at("a").as_int64() == 4);  // the last occurrence is kept
  CHECK(render(problems) ==
        std::vector<std::string>{
            "b[1].x: duplicate key; a key may appear only once in an object",
            "c[\"Full Import\"]: duplicate key; a key may appear only once in an object",
            "a: duplicate key; a key may appear only once in an object",
        });
}

TEST_CASE("a syntax error in a manifest names file:line:column once", "[json_text][manifest]") {
  auto e = error_of("{\n  \"store\": {\"path\": \"s\"}\n  \"connectors\": []\n}");
  REQUIRE(e.diagnostics().size() == 1);
  CHECK(e.diagnostics()[0].line == 3);
  CHECK(e.diagnostics()[0].column == 3);
  CHECK(std::string(e.what()) ==
        "/srv/idsync/manifest.json:3:3: invalid JSON: syntax error (look for a missing comma, "
        "colon or quote, or a comma before } or ])");
}
