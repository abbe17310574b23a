// Manifests that do not load: every problem, with its exact path and message.
#include <catch2/catch.hpp>

#include "manifest/intervals.hpp"
#include "manifest/manifest.hpp"
#include "support.hpp"

using namespace idsync::manifest;
using idsync::manifest::test::error_of;
using idsync::manifest::test::kManifestFile;
using idsync::manifest::test::problems_of;
using idsync::manifest::test::render;
using idsync::manifest::test::TempDir;
using idsync::manifest::test::with_connector;
using Lines = std::vector<std::string>;

TEST_CASE("what() names the file once and lists every problem", "[manifest][errors]") {
  SECTION("one problem on one line") {
    auto e = error_of(R"({"store": {}, "connectors": []})");
    CHECK(std::string(e.what()) ==
          "/srv/idsync/manifest.json: store.path: required key is missing");
    CHECK(e.file() == "/srv/idsync/manifest.json");
    REQUIRE(e.diagnostics().size() == 1);
    CHECK(e.diagnostics()[0].path == "store.path");
    CHECK(e.diagnostics()[0].message == "required key is missing");
    CHECK(e.diagnostics()[0].line == 0);
  }
  SECTION("several problems, one per line") {
    auto e = error_of("{}");
    CHECK(std::string(e.what()) ==
          "/srv/idsync/manifest.json: 2 problems:\n"
          "  store: required key is missing\n"
          "  connectors: required key is missing");
  }
  SECTION("a problem with the whole document has no path") {
    auto e = error_of("[]");
    CHECK(std::string(e.what()) ==
          "/srv/idsync/manifest.json: expected an object at the top level, found an array");
  }
  SECTION("ManifestError is a runtime_error") {
    CHECK_THROWS_AS(parse_manifest("{}", kManifestFile), std::runtime_error);
  }
}

TEST_CASE("unknown keys are errors at every level, with did-you-mean", "[manifest][errors]") {
  CHECK(problems_of(R"({
    "store": {"path": "s", "paht": 1}, "conector": [],
    "connectors": [{"name": "A", "type": "t", "run_profile": {}, "colour": "red",
                    "run_profiles": {"P": [{"type": "export", "pagesize": 5}]}}],
    "scheduler": {"sync_cycle_enable": true}, "log": {"levle": "info"},
    "control": {"sockett": "x"}, "rules": {"Path": "r"}})") ==
        Lines{
            R"(conector: unknown key; did you mean "connectors"?)",
            R"(store.paht: unknown key; did you mean "path"?)",
            R"(rules.Path: unknown key; did you mean "path"?)",
            R"(log.levle: unknown key; did you mean "level"?)",
            R"(control.sockett: unknown key; did you mean "socket"?)",
            R"(connectors[0].run_profile: unknown key; did you mean "run_profiles"?)",
            R"(connectors[0].colour: unknown key)",
            R"(connectors[0].run_profiles.P[0].pagesize: unknown key; did you mean "page_size"?)",
            R"(scheduler.sync_cycle_enable: unknown key; did you mean "sync_cycle_enabled"?)",
        });
}

TEST_CASE("wrong types say what was expected and what was found", "[manifest][errors]") {
  CHECK(
      problems_of(R"({
    "manifest_version": "1", "store": "s", "plugin_dirs": ["p", null, ""], "rules": [],
    "log": {"level": 3, "file": ""}, "control": {"socket": false},
    "connectors": [{"name": 5, "type": "", "description": 1, "config": [],
                    "object_types": "person", "run_profiles": []}, "HR"],
    "scheduler": {"sync_cycle_enabled": "yes", "maintenance_enabled": 1,
                  "staging_mode_enabled": null, "customized_sync_cycle_interval": 30,
                  "next_sync_cycle_policy_type": true, "purge_run_history_interval": {},
                  "connector_order": "HR"}})") ==
      Lines{
          "manifest_version: expected an integer, found a string",
          "store: expected an object, found a string",
          "plugin_dirs[1]: expected a string, found null",
          "plugin_dirs[2]: must not be empty",
          "rules: expected an object, found an array",
          R"(log.level: expected one of "trace", "debug", "info", "warn", "error", found a number)",
          "log.file: must not be empty",
          "control.socket: expected a string, found a boolean",
          "connectors[0].name: expected a string, found a number",
          "connectors[0].type: must not be empty",
          "connectors[0].description: expected a string, found a number",
          "connectors[0].config: expected an object, found an array",
          "connectors[0].object_types: expected an array of strings, found a string",
          "connectors[0].run_profiles: expected an object, found an array",
          "connectors[1]: expected an object, found a string",
          "scheduler.sync_cycle_enabled: expected a boolean, found a string",
          "scheduler.maintenance_enabled: expected a boolean, found a number",
          "scheduler.staging_mode_enabled: expected a boolean, found null",
          R"(scheduler.customized_sync_cycle_interval: expected an interval "d.HH:mm:ss" or "HH:mm:ss", found a number)",
          R"(scheduler.next_sync_cycle_policy_type: expected one of "Delta", "Initial", found a boolean)",
          R"(scheduler.purge_run_history_interval: expected an interval "d.HH:mm:ss" or "HH:mm:ss", found an object)",
          "scheduler.connector_order: expected an array of strings, found a string",
      });
}

TEST_CASE("connector names are required, non-empty and unique ignoring case",
          "[manifest][errors]") {
  CHECK(
      problems_of(R"({"store": {"path": "s"}, "connectors": [
      {"name": "HR", "type": "file"}, {"name": "", "type": "file"}, {"name": "hr", "type": "file"},
      {"type": "file"}, {"name": "X"}, {"name": "P", "type": "t", "object_types": ["a", "b", "a", 1]}]})") ==
      Lines{
          "connectors[1].name: must not be empty",
          R"(connectors[2].name: duplicate connector name; connectors[0] is already named "HR" (names ignore case))",
          "connectors[3].name: required key is missing",
          "connectors[4].type: required key is missing",
          R"(connectors[5].object_types[2]: "a" is listed twice)",
          "connectors[5].object_types[3]: expected a string, found a number",
      });
}

TEST_CASE("run profiles are named, non-empty lists of known steps", "[manifest][errors]") {
  CHECK(
      problems_of(with_connector(R"({"name": "A", "type": "t", "run_profiles": {
      "": [{"type": "export"}],
      "Full Import": [],
      "Export": {"type": "export"},
      "Delta": [{"type": "full_imprt"}, "delta_import", {}, {"type": "export", "page_size": 0},
                {"type": "export", "page_size": 100001}, {"type": "export", "page_size": 1.5},
                {"type": "export", "page_size": "10"}, {"type": "Export"}],
      "delta": [{"type": "delta_sync"}]}})")) ==
      Lines{
          R"(connectors[0].run_profiles[""]: run profile name must not be empty)",
          R"(connectors[0].run_profiles["Full Import"]: a run profile needs at least one step)",
          "connectors[0].run_profiles.Export: expected an array of steps, found an object",
          R"(connectors[0].run_profiles.Delta[0].type: expected one of "full_import", "delta_import", "full_sync", "delta_sync", "export"; did you mean "full_import"?)",
          "connectors[0].run_profiles.Delta[1]: expected an object, found a string",
          "connectors[0].run_profiles.Delta[2].type: required key is missing",
          "connectors[0].run_profiles.Delta[3].page_size: expected an integer 1..100000",
          "connectors[0].run_profiles.Delta[4].page_size: expected an integer 1..100000",
          "connectors[0].run_profiles.Delta[5].page_size: expected an integer 1..100000, found a "
          "fractional number",
          "connectors[0].run_profiles.Delta[6].page_size: expected an integer 1..100000, found a "
          "string",
          R"(connectors[0].run_profiles.Delta[7].type: expected one of "full_import", "delta_import", "full_sync", "delta_sync", "export"; did you mean "export"?)",
          R"(connectors[0].run_profiles.delta: duplicate run profile name; "Delta" is already defined (names ignore case))",
      });
}

TEST_CASE("scheduler values are checked", "[manifest][errors][intervals]") {
  CHECK(
      problems_of(R"({"store": {"path": "s"}, "connectors": [{"name": "Entra", "type": "scim"},
      {"name": "HR", "type": "file"}],
      "scheduler": {"customized_sync_cycle_interval": "30m",
                    "purge_run_history_interval": "00:00:00",
                    "next_sync_cycle_policy_type": "delta",
                    "connector_order": ["AD", "Entra", "entra", 3, "Entr"]}})") ==
      Lines{
          "scheduler.customized_sync_cycle_interval: " + std::string(kIntervalSyntax),
          R"(scheduler.next_sync_cycle_policy_type: expected one of "Delta", "Initial"; did you mean "Delta"?)",
          "scheduler.purge_run_history_interval: must be longer than 00:00:00",
          R"(scheduler.connector_order[0]: no connector is named "AD")",
          R"(scheduler.connector_order[2]: "entra" is listed twice)",
          "scheduler.connector_order[3]: expected a string, found a number",
          R"(scheduler.connector_order[4]: no connector is named "Entr"; did you mean "Entra"?)",
      });
  // The expected syntax is spelt out.
  CHECK(
      std::string(kIntervalSyntax) ==
      R"(expected an interval "d.HH:mm:ss" or "HH:mm:ss" (HH 0-23, mm and ss 0-59), e.g. "00:30:00")");
  CHECK(problems_of(R"({"store": {"path": "s"}, "connectors": [],
      "scheduler": {"purge_run_history_interval": "7.24:00:00"}})") ==
        Lines{"scheduler.purge_run_history_interval: " + std::string(kIntervalSyntax)});
  CHECK(
      problems_of(R"({"store": {"path": "s"}, "connectors": [{"name": "HR", "type": "file"}],
      "scheduler": {"active_hours": "08:00-08:00", "allowed_sync_cycle_interval": "00:00:00",
                    "connector_order": ["HR"],
                    "cycle_sequence": [{"connector": "HR", "step": "imprt"},
                                       {"connector": "H", "step": "sync"}, {"step": "export"}, 7]}})") ==
      Lines{
          "scheduler.allowed_sync_cycle_interval: must be longer than 00:00:00",
          "scheduler.active_hours: " + std::string(kActiveHoursSyntax),
          R"(scheduler.cycle_sequence[0].step: expected one of "import", "sync", "export"; did you mean "import"?)",
          R"(scheduler.cycle_sequence[1].connector: no connector is named "H"; did you mean "HR"?)",
          "scheduler.cycle_sequence[2].connector: required key is missing",
          "scheduler.cycle_sequence[3]: expected an object, found a number",
          "scheduler.connector_order: give either connector_order or cycle_sequence: a cycle "
          "sequence names its own order",
      });
}

TEST_CASE("a connector's location is on_premises or cloud", "[manifest][errors]") {
  CHECK(
      problems_of(R"({"store": {"path": "s"},
      "connectors": [{"name": "Entra", "type": "graph", "location": "Cloud"}]})") ==
      Lines{
          R"(connectors[0].location: expected one of "on_premises", "cloud"; did you mean "cloud"?)"});
}

TEST_CASE("log level and manifest version are checked", "[manifest][errors]") {
  CHECK(
      problems_of(R"({"manifest_version": 2, "store": {"path": "s"}, "connectors": [],
      "log": {"level": "debg"}})") ==
      Lines{
          "manifest_version: unsupported manifest version; this idsync reads version 1",
          R"(log.level: expected one of "trace", "debug", "info", "warn", "error"; did you mean "debug"?)",
      });
  CHECK(problems_of(R"({"store": {"path": "s"}, "connectors": [], "log": {"level": "verbose"}})") ==
        Lines{R"(log.level: expected one of "trace", "debug", "info", "warn", "error")"});
}

TEST_CASE("a key given twice is an error", "[manifest][errors]") {
  CHECK(problems_of(R"({"store": {"path": "a"}, "store": {"path": "b"}, "connectors": [
      {"name": "A", "type": "t", "run_profiles": {"P": [{"type": "export"}], "P": [{"type": "export"}]}}]})") ==
        Lines{
            "store: duplicate key; a key may appear only once in an object",
            "connectors[0].run_profiles.P: duplicate key; a key may appear only once in an object",
        });
}

TEST_CASE("the control socket path must fit a Unix socket address", "[manifest][errors]") {
  const std::string long_path = "/" + std::string(120, 'a');
  CHECK(problems_of(R"({"store": {"path": "s"}, "connectors": [], "control": {"socket": ")" +
                    long_path + "\"}}") ==
        Lines{"control.socket: the socket path \"" + long_path +
              "\" is 121 bytes long; a Unix socket path may have at most 107"});
  // The default too, when the manifest's folder is deep.
  const std::string deep = "/" + std::string(100, 'd');
  auto e = error_of(R"({"store": {"path": "s"}, "connectors": []})", deep + "/manifest.json");
  CHECK(render(e.diagnostics()) ==
        Lines{"control.socket: the socket path \"" + deep +
              "/run/idsync.sock\" is 117 bytes long; a Unix socket path may have at most 107"});
}

TEST_CASE("an unreadable manifest file is reported", "[manifest][errors]") {
  TempDir dir;
  const auto missing = dir.path() / "missing.json";
  try {
    load_manifest(missing);
    FAIL("load_manifest accepted a missing file");
  } catch (const ManifestError& e) {
    CHECK(std::string(e.what()) ==
          missing.string() + ": cannot read the manifest: No such file or directory");
  }
  try {
    load_manifest(dir.path());
    FAIL("load_manifest accepted a directory");
  } catch (const ManifestError& e) {
    CHECK(std::string(e.what()) ==
          dir.path().string() + ": cannot read the manifest: Is a directory");
  }
  // Problems inside a loaded file name the file as it was given.
  const auto file = dir.write("m.json", "{}", 0644);
  try {
    load_manifest(file);
    FAIL("load_manifest accepted an empty object");
  } catch (const ManifestError& e) {
    CHECK(e.file() == file.string());
    CHECK(e.diagnostics().size() == 2);
  }
}
