// Manifests that load, and what they load into.
#include <unistd.h>

#include <catch2/catch.hpp>

#include "manifest/manifest.hpp"
#include "support.hpp"

using namespace idsync::manifest;
using namespace std::chrono_literals;
using idsync::manifest::test::kManifestFile;
using idsync::manifest::test::TempDir;
namespace fs = std::filesystem;

namespace {

const char* const kFullManifest = R"({
  "manifest_version": 1,
  "store": { "path": "state/store" },
  "plugin_dirs": ["plugins", "/opt/vendor/idsync-plugins", "../shared/plugins/"],
  "rules": { "path": "my-rules" },
  "log": { "level": "debug", "file": "log/idsync.log", "format": "json" },
  "control": { "socket": "/run/idsync/ctl.sock" },
  "scheduler": {
    "allowed_sync_cycle_interval": "00:45:00",
    "sync_cycle_enabled": false, "maintenance_enabled": false, "staging_mode_enabled": true,
    "customized_sync_cycle_interval": "01:15:00",
    "active_hours": "22:00-06:30",
    "next_sync_cycle_policy_type": "Initial",
    "purge_run_history_interval": "14.00:00:00",
    "connector_order": ["entra", "HR"]
  },
  "connectors": [
    { "name": "HR", "type": "file", "description": "HR export",
      "config": { "path": "data/hr.csv", "anchor_column": "employeeId", "password": {"env": "HR_PW"} },
      "object_types": ["person"],
      "run_profiles": {
        "Full Import": [ { "type": "full_import", "page_size": 1000 } ],
        "Delta Import": [ { "type": "delta_import" } ],
        "Export": [ { "type": "export" } ] } },
    { "name": "Entra", "type": "scim",
      "run_profiles": { "Sync": [ { "type": "full_sync" }, { "type": "delta_sync" } ] } }
  ]
})";

}  // namespace

TEST_CASE("a complete manifest loads into plain structs", "[manifest]") {
  const Manifest m = parse_manifest(kFullManifest, kManifestFile);

  CHECK(m.file == kManifestFile);
  CHECK(m.base_dir == "/srv/idsync");
  CHECK(m.manifest_version == 1);
  CHECK(m.store.path == "/srv/idsync/state/store");
  CHECK(m.plugin_dirs == std::vector<fs::path>{"/srv/idsync/plugins", "/opt/vendor/idsync-plugins",
                                               "/srv/shared/plugins"});
  CHECK(m.rules.path == "/srv/idsync/my-rules");
  CHECK(m.log.level == LogLevel::kDebug);
  CHECK(m.log.file == fs::path("/srv/idsync/log/idsync.log"));
  CHECK(m.log.format == LogFormat::kJson);
  CHECK(m.control.socket == "/run/idsync/ctl.sock");

  CHECK_FALSE(m.scheduler.sync_cycle_enabled);
  CHECK_FALSE(m.scheduler.maintenance_enabled);
  CHECK(m.scheduler.staging_mode_enabled);
  CHECK(m.scheduler.allowed_sync_cycle_interval == 45min);
  CHECK(m.scheduler.customized_sync_cycle_interval == 75min);
  CHECK(m.scheduler.active_hours == ActiveHours{22h, 6h + 30min});
  CHECK(m.scheduler.next_sync_cycle_policy_type == SyncCyclePolicy::kInitial);
  CHECK(m.scheduler.purge_run_history_interval == std::chrono::hours(14 * 24));
  // Spelt as the connectors declare them.
  CHECK(m.scheduler.connector_order == std::vector<std::string>{"Entra", "HR"});

  REQUIRE(m.connectors.size() == 2);
  const ConnectorDecl& hr = m.connectors[0];
  CHECK(hr.name == "HR");
  CHECK(hr.type == "file");
  CHECK(hr.description == "HR export");
  CHECK(hr.json_path == "connectors[0]");
  CHECK(hr.base_dir == "/srv/idsync");
  CHECK(hr.object_types == std::vector<std::string>{"person"});
  // Kept as written: resolve_config() checks it against the plugin.
  CHECK(hr.config.at("path").as_string() == "data/hr.csv");
  CHECK(hr.config.at("password").at("env").as_string() == "HR_PW");
  REQUIRE(hr.run_profiles.size() == 3);  // in manifest order
  CHECK(hr.run_profiles[0].name == "Full Import");
  CHECK(hr.run_profiles[0].json_path == "connectors[0].run_profiles[\"Full Import\"]");
  REQUIRE(hr.run_profiles[0].steps.size() == 1);
  CHECK(hr.run_profiles[0].steps[0].type == StepType::kFullImport);
  CHECK(hr.run_profiles[0].steps[0].page_size == 1000);
  CHECK(hr.run_profiles[1].name == "Delta Import");
  CHECK(hr.run_profiles[1].steps[0].type == StepType::kDeltaImport);
  CHECK(hr.run_profiles[1].steps[0].page_size == kDefaultPageSize);
  CHECK(hr.run_profiles[2].name == "Export");
  CHECK(hr.run_profiles[2].json_path == "connectors[0].run_profiles.Export");
  CHECK(hr.run_profiles[2].steps[0].type == StepType::kExport);

  const ConnectorDecl& entra = m.connectors[1];
  CHECK(entra.description.empty());
  CHECK(entra.config.empty());
  CHECK(entra.object_types.empty());
  REQUIRE(entra.run_profiles.size() == 1);
  REQUIRE(entra.run_profiles[0].steps.size() == 2);
  CHECK(entra.run_profiles[0].steps[0].type == StepType::kFullSync);
  CHECK(entra.run_profiles[0].steps[1].type == StepType::kDeltaSync);
}

TEST_CASE("everything but store.path and connectors has a default", "[manifest][defaults]") {
  const Manifest m =
      parse_manifest(R"({"store": {"path": "state"}, "connectors": []})", kManifestFile);
  CHECK(m.manifest_version == 1);
  CHECK(m.store.path == "/srv/idsync/state");
  CHECK(m.plugin_dirs.empty());
  CHECK(m.rules.path == "/srv/idsync/rules");
  CHECK(m.log.level == LogLevel::kInfo);
  CHECK_FALSE(m.log.file.has_value());
  CHECK(m.log.format == LogFormat::kText);
  CHECK(m.control.socket == "/srv/idsync/run/idsync.sock");
  CHECK(m.scheduler.sync_cycle_enabled);
  CHECK(m.scheduler.maintenance_enabled);
  CHECK_FALSE(m.scheduler.staging_mode_enabled);
  CHECK(m.scheduler.allowed_sync_cycle_interval == 30min);
  CHECK_FALSE(m.scheduler.customized_sync_cycle_interval.has_value());
  CHECK_FALSE(m.scheduler.active_hours.has_value());
  CHECK(m.scheduler.cycle_sequence.empty());
  CHECK(m.scheduler.next_sync_cycle_policy_type == SyncCyclePolicy::kDelta);
  CHECK(m.scheduler.purge_run_history_interval == std::chrono::hours(7 * 24));
  CHECK(m.scheduler.connector_order.empty());
  CHECK(m.connectors.empty());

  // Empty sections take the same defaults.
  const Manifest e = parse_manifest(
      R"({"store": {"path": "state"}, "connectors": [], "rules": {}, "log": {}, "control": {},
          "scheduler": {}, "plugin_dirs": []})",
      kManifestFile);
  CHECK(e.rules.path == "/srv/idsync/rules");
  CHECK(e.log.level == LogLevel::kInfo);
  CHECK(e.control.socket == "/srv/idsync/run/idsync.sock");
  CHECK(e.scheduler.allowed_sync_cycle_interval == 30min);
  CHECK_FALSE(e.scheduler.customized_sync_cycle_interval.has_value());
}

TEST_CASE("a cycle sequence runs named steps as written", "[manifest][scheduler]") {
  // OLSync's six steps, the confirming import last.
  const Manifest m = parse_manifest(R"({"store": {"path": "s"},
      "connectors": [{"name": "OnPremise", "type": "file"}, {"name": "Hosted", "type": "scim"}],
      "scheduler": {"cycle_sequence": [
        {"connector": "onpremise", "step": "import"}, {"connector": "Hosted", "step": "import"},
        {"connector": "OnPremise", "step": "sync"}, {"connector": "Hosted", "step": "sync"},
        {"connector": "Hosted", "step": "export"}, {"connector": "Hosted", "step": "import"}]}})",
                                    kManifestFile);
  using S = CycleStage;
  CHECK(m.scheduler.cycle_sequence == std::vector<CycleStep>{{"OnPremise", S::kImport},
                                                             {"Hosted", S::kImport},
                                                             {"OnPremise", S::kSync},
                                                             {"Hosted", S::kSync},
                                                             {"Hosted", S::kExport},
                                                             {"Hosted", S::kImport}});
}

TEST_CASE("active hours are a window in local time", "[manifest][scheduler]") {
  const auto day = parse_active_hours("08:00-20:00");
  REQUIRE(day);
  CHECK(day->contains(8h));
  CHECK(day->contains(19h + 59min));
  CHECK_FALSE(day->contains(20h));
  CHECK_FALSE(day->contains(7h + 59min));
  const auto night = parse_active_hours("22:00-06:00");
  REQUIRE(night);
  CHECK(night->contains(23h));
  CHECK(night->contains(0min));
  CHECK_FALSE(night->contains(6h));
  CHECK_FALSE(night->contains(12h));
  CHECK(format_active_hours(*night) == "22:00-06:00");
  for (const char* bad : {"08:00-08:00", "8:00-20:00", "08:00 - 20:00", "24:00-01:00",
                          "08:60-09:00", "08:00-20:00 ", ""})
    CHECK_FALSE(parse_active_hours(bad).has_value());
}

TEST_CASE("relative paths resolve against the manifest's folder", "[manifest][paths]") {
  SECTION("a relative manifest name resolves against the working directory first") {
    const Manifest m = parse_manifest(R"({"store": {"path": "./a/../state"}, "connectors": []})",
                                      "conf/manifest.json");
    CHECK(m.base_dir == fs::current_path() / "conf");
    CHECK(m.store.path == fs::current_path() / "conf" / "state");
  }
  SECTION("absolute paths are kept, normalized") {
    const Manifest m = parse_manifest(
        R"({"store": {"path": "/var/lib//idsync/./store"}, "connectors": []})", kManifestFile);
    CHECK(m.store.path == "/var/lib/idsync/store");
  }
  SECTION("load_manifest anchors at the file's folder, not the working directory") {
    TempDir dir;
    const auto file = dir.write("etc/manifest.json",
                                R"({"store": {"path": "state"}, "plugin_dirs": ["../plugins"],
                                    "connectors": []})",
                                0644);
    const Manifest m = load_manifest(file);
    CHECK(m.file == file);
    CHECK(m.base_dir == dir.path() / "etc");
    CHECK(m.store.path == dir.path() / "etc" / "state");
    CHECK(m.plugin_dirs == std::vector<fs::path>{dir.path() / "plugins"});
  }
}

TEST_CASE("connectors and run profiles are found ignoring case", "[manifest]") {
  const Manifest m = parse_manifest(kFullManifest, kManifestFile);
  REQUIRE(m.find_connector("hr") != nullptr);
  CHECK(m.find_connector("hr") == &m.connectors[0]);
  CHECK(m.find_connector("ENTRA") == &m.connectors[1]);
  CHECK(m.find_connector("AD") == nullptr);
  CHECK(m.find_connector("") == nullptr);
  const ConnectorDecl& hr = m.connectors[0];
  CHECK(hr.find_run_profile("full import") == &hr.run_profiles[0]);
  CHECK(hr.find_run_profile("EXPORT") == &hr.run_profiles[2]);
  CHECK(hr.find_run_profile("Full") == nullptr);
}

TEST_CASE("enumerations have their manifest spelling", "[manifest]") {
  CHECK(to_string(StepType::kFullImport) == "full_import");
  CHECK(to_string(StepType::kDeltaImport) == "delta_import");
  CHECK(to_string(StepType::kFullSync) == "full_sync");
  CHECK(to_string(StepType::kDeltaSync) == "delta_sync");
  CHECK(to_string(StepType::kExport) == "export");
  for (auto t : {StepType::kFullImport, StepType::kDeltaImport, StepType::kFullSync,
                 StepType::kDeltaSync, StepType::kExport})
    CHECK(parse_step_type(to_string(t)) == t);
  CHECK_FALSE(parse_step_type("Export").has_value());
  CHECK(to_string(LogLevel::kTrace) == "trace");
  CHECK(to_string(LogLevel::kWarn) == "warn");
  CHECK(static_cast<int>(LogLevel::kError) == IDSYNC_LOG_ERROR);
  CHECK(to_string(SyncCyclePolicy::kDelta) == "Delta");
  CHECK(to_string(SyncCyclePolicy::kInitial) == "Initial");
}

TEST_CASE("integral numbers written with a fraction are integers", "[manifest]") {
  const Manifest m = parse_manifest(
      R"({"store": {"path": "s"}, "manifest_version": 1.0, "connectors": [{"name": "A", "type": "t",
          "run_profiles": {"P": [{"type": "full_import", "page_size": 2e3}]}}]})",
      kManifestFile);
  CHECK(m.connectors[0].run_profiles[0].steps[0].page_size == 2000);
}
