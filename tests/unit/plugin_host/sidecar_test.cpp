// plugin.json parsing: every problem is one clear "malformed plugin.json: ..." line.
#include "plugin_host/sidecar.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <string>

#include "plugin_host/refusal.hpp"
#include "test_support.hpp"

namespace idsync::plugin_host {
namespace {

const char* const kFull = R"({
  "name": "file", "version": "0.1.0", "abi": {"major": 1, "minor": 0},
  "library": "libidsync_file.so", "connector_types": ["file"], "rule_types": ["r1", "r2"],
  "description": "Flat files", "homepage": "ignored: unknown keys are for newer hosts"
})";

// The reason parse_sidecar refuses `text` with.
std::string problem(const std::string& text) {
  try {
    parse_sidecar(text, "/x/plugin.json");
  } catch (const RefusedError& e) {
    CHECK(e.file() == "/x/plugin.json");
    return e.what();
  }
  FAIL("not refused: " << text);
  return {};
}

TEST_CASE("sidecar: a complete plugin.json") {
  const Sidecar s = parse_sidecar(kFull, "plugin.json");
  CHECK(s.name == "file");
  CHECK(s.version == "0.1.0");
  CHECK(s.abi_major == 1);
  CHECK(s.abi_minor == 0);
  CHECK(s.library == "libidsync_file.so");
  CHECK(s.connector_types == std::vector<std::string>{"file"});
  CHECK(s.rule_types == std::vector<std::string>{"r1", "r2"});
  CHECK(s.description == "Flat files");
}

TEST_CASE("sidecar: type lists and description are optional") {
  const Sidecar s = parse_sidecar(
      R"({"name":"n","version":"1","abi":{"major":1,"minor":0},"library":"l.so"})", "p");
  CHECK(s.connector_types.empty());
  CHECK(s.rule_types.empty());
  CHECK(s.description.empty());
}

TEST_CASE("sidecar: syntax errors name the position") {
  CHECK(problem("{\n  \"name\": \"n\",\n  oops\n}") ==
        "malformed plugin.json: syntax error at line 3, column 3");
  CHECK(problem("") == "malformed plugin.json: incomplete JSON at line 1, column 1");
  CHECK(problem("[1, 2]") == "malformed plugin.json: the top level must be an object");
}

TEST_CASE("sidecar: missing or mistyped keys are named") {
  const std::string abi = R"("abi":{"major":1,"minor":0})";
  CHECK(problem(R"({"version":"1",)" + abi + R"(,"library":"l.so"})") ==
        "malformed plugin.json: missing \"name\"");
  CHECK(problem(R"({"name":7,"version":"1",)" + abi + R"(,"library":"l.so"})") ==
        "malformed plugin.json: \"name\" must be a string");
  CHECK(problem(R"({"name":"n","version":"1","library":"l.so"})") ==
        "malformed plugin.json: missing \"abi\" (e.g. {\"major\": 1, \"minor\": 0})");
  CHECK(problem(R"({"name":"n","version":"1","abi":{"major":1},"library":"l.so"})") ==
        "malformed plugin.json: missing abi.\"minor\"");
  CHECK(problem(R"({"name":"n","version":"1","abi":{"major":-1,"minor":0},"library":"l.so"})") ==
        "malformed plugin.json: abi.\"major\" must be a non-negative integer");
  CHECK(problem(R"({"name":"n","version":"1",)" + abi + "}") ==
        "malformed plugin.json: missing \"library\"");
  CHECK(problem(R"({"name":"n","version":"1",)" + abi +
                R"(,"library":"l.so","connector_types":"file"})") ==
        "malformed plugin.json: \"connector_types\" must be an array of strings");
  CHECK(
      problem(R"({"name":"n","version":"1",)" + abi + R"(,"library":"l.so","rule_types":[""]})") ==
      "malformed plugin.json: \"rule_types\" must be an array of non-empty strings");
}

TEST_CASE("sidecar: the library must be a file name in the plugin's folder") {
  const std::string head = R"({"name":"n","version":"1","abi":{"major":1,"minor":0},"library":)";
  for (const char* library : {"\"../evil.so\"", "\"/usr/lib/x.so\"", "\"sub/x.so\"", "\"..\""})
    CHECK(problem(head + library + "}") ==
          "malformed plugin.json: \"library\" must be a file name inside the plugin folder, not "
          "a path");
}

TEST_CASE("sidecar: read_sidecar reads a file and reports one it cannot read") {
  test::TempDir tmp;
  const auto file = tmp.path() / "plugin.json";
  std::ofstream(file) << kFull;
  CHECK(read_sidecar(file).name == "file");
  CHECK_THROWS_WITH(read_sidecar(tmp.path() / "absent.json"),
                    "cannot read plugin.json: No such file or directory");
}

}  // namespace
}  // namespace idsync::plugin_host
