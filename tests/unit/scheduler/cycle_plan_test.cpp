// A cycle's plan: stages and order, the Initial and Delta kinds, the 7-day rule, the overrides
// with their reasons, and an explicit sequence (OLSync's six steps).
#include "scheduler/cycle_plan.hpp"

#include <catch2/catch.hpp>
#include <map>

#include "support.hpp"

using namespace idsync::scheduler;
using idsync::manifest::ConnectorDecl;
using idsync::manifest::Manifest;
using idsync::manifest::StepType;
using idsync::manifest::SyncCyclePolicy;
using idsync::testing::utc;
using namespace std::chrono_literals;

namespace {

Manifest manifest_with(const std::string& scheduler) {
  return idsync::manifest::parse_manifest(
      R"({"store": {"path": "s"}, "connectors": [{"name": "AD", "type": "ldap"},
          {"name": "Entra", "type": "graph"}], "scheduler": )" +
          scheduler + "}",
      "/srv/idsync/idsync.json");
}

std::vector<const ConnectorDecl*> declared(const Manifest& m) {
  std::vector<const ConnectorDecl*> out;
  for (const auto& c : m.connectors) out.push_back(&c);
  return out;
}

// "AD full_import" per step, to compare whole plans at a glance.
std::vector<std::string> steps_of(const std::vector<PlannedStep>& plan) {
  std::vector<std::string> out;
  for (const auto& s : plan)
    out.push_back(s.connector->name + " " + idsync::manifest::to_string(s.type));
  return out;
}

}  // namespace

TEST_CASE("Initial and Delta cycles run import, sync and export stages") {
  const Manifest m = manifest_with("{}");
  const auto now = utc(21, 12);
  std::map<std::string, ConnectorFacts> facts;
  facts["AD"].has_watermark = true;
  facts["AD"].last_import_completed = utc(21, 11);
  facts["Entra"] = facts["AD"];
  auto of = [&](const ConnectorDecl& d) { return facts[d.name]; };

  const auto initial = plan_cycle(m, declared(m), SyncCyclePolicy::kInitial, of, now);
  CHECK(steps_of(initial) == std::vector<std::string>{"AD full_import", "Entra full_import",
                                                      "AD full_sync", "Entra full_sync",
                                                      "AD export", "Entra export"});
  for (const auto& s : initial) CHECK(s.reason.empty());

  const auto delta = plan_cycle(m, declared(m), SyncCyclePolicy::kDelta, of, now);
  CHECK(steps_of(delta) == std::vector<std::string>{"AD delta_import", "Entra delta_import",
                                                    "AD delta_sync", "Entra delta_sync",
                                                    "AD export", "Entra export"});
  for (const auto& s : delta) CHECK(s.reason.empty());

  SECTION("without a watermark, a full import") {
    facts["Entra"].has_watermark = false;
    const auto plan = plan_cycle(m, declared(m), SyncCyclePolicy::kDelta, of, now);
    CHECK(plan[1].type == StepType::kFullImport);
    CHECK_THAT(plan[1].reason, Catch::Contains("no watermark"));
    CHECK(plan[0].type == StepType::kDeltaImport);
  }
  SECTION("the 7-day rule") {
    facts["AD"].last_import_completed = now - 7 * 24h;  // exactly 7 days: still a delta
    CHECK(plan_cycle(m, declared(m), SyncCyclePolicy::kDelta, of, now)[0].type ==
          StepType::kDeltaImport);
    facts["AD"].last_import_completed = now - 8 * 24h - 1h;
    const auto plan = plan_cycle(m, declared(m), SyncCyclePolicy::kDelta, of, now);
    CHECK(plan[0].type == StepType::kFullImport);
    CHECK(plan[0].reason ==
          "the last import completed 8 days ago; a watermark older than 7 days may have expired "
          "at the source");
    CHECK(plan[1].type == StepType::kDeltaImport);
  }
  SECTION("overrides, with their reasons") {
    facts["AD"].overrides = {true, "set by an admin", false, ""};
    facts["Entra"].overrides = {false, "", true, "the manifest's rules for Entra changed"};
    const auto plan = plan_cycle(m, declared(m), SyncCyclePolicy::kDelta, of, now);
    CHECK(steps_of(plan) == std::vector<std::string>{"AD full_import", "Entra delta_import",
                                                     "AD delta_sync", "Entra full_sync",
                                                     "AD export", "Entra export"});
    CHECK(plan[0].reason == "FullImportRequired: set by an admin");
    CHECK(plan[3].reason == "FullSyncRequired: the manifest's rules for Entra changed");
  }
  SECTION("connector order") {
    const Manifest ordered = manifest_with(R"({"connector_order": ["Entra"]})");
    std::vector<const ConnectorDecl*> order{&ordered.connectors[1], &ordered.connectors[0]};
    CHECK(steps_of(plan_cycle(ordered, order, SyncCyclePolicy::kDelta, of, now))[0] ==
          "Entra delta_import");
  }
}

TEST_CASE("on-premises connectors import and sync first, cloud ones export first") {
  // Declared cloud first, to show that the location, not the declaration, decides.
  const Manifest m = idsync::manifest::parse_manifest(
      R"({"store": {"path": "s"}, "connectors": [
          {"name": "Entra", "type": "graph", "location": "cloud"},
          {"name": "AD", "type": "ldap"}, {"name": "HR", "type": "file"}]})",
      "/srv/idsync/idsync.json");
  ConnectorFacts f;
  f.has_watermark = true;
  f.last_import_completed = utc(21, 11);
  auto of = [&](const ConnectorDecl&) { return f; };
  CHECK(steps_of(plan_cycle(m, declared(m), SyncCyclePolicy::kDelta, of, utc(21, 12))) ==
        std::vector<std::string>{"AD delta_import", "HR delta_import", "Entra delta_import",
                                 "AD delta_sync", "HR delta_sync", "Entra delta_sync",
                                 "Entra export", "AD export", "HR export"});
}

TEST_CASE("an explicit sequence runs as written") {
  // OLSync: on-premises and hosted delta imports, both delta syncs, the hosted export and its
  // confirming import.
  const Manifest m = manifest_with(R"({"cycle_sequence": [
      {"connector": "AD", "step": "import"}, {"connector": "Entra", "step": "import"},
      {"connector": "AD", "step": "sync"}, {"connector": "Entra", "step": "sync"},
      {"connector": "Entra", "step": "export"}, {"connector": "Entra", "step": "import"}]})");
  const auto now = utc(21, 12);
  ConnectorFacts f;
  f.has_watermark = true;
  f.last_import_completed = utc(21, 11);
  auto of = [&](const ConnectorDecl&) { return f; };
  CHECK(steps_of(plan_cycle(m, declared(m), SyncCyclePolicy::kDelta, of, now)) ==
        std::vector<std::string>{"AD delta_import", "Entra delta_import", "AD delta_sync",
                                 "Entra delta_sync", "Entra export", "Entra delta_import"});
  CHECK(steps_of(plan_cycle(m, declared(m), SyncCyclePolicy::kInitial, of, now)) ==
        std::vector<std::string>{"AD full_import", "Entra full_import", "AD full_sync",
                                 "Entra full_sync", "Entra export", "Entra full_import"});
  // A full import forced on the first import does not repeat on the confirming one.
  f.overrides.full_import_required = true;
  f.overrides.full_import_reason = "set by an admin";
  const auto plan = plan_cycle(m, declared(m), SyncCyclePolicy::kDelta, of, now);
  CHECK(plan[1].type == StepType::kFullImport);
  CHECK(plan[5].type == StepType::kDeltaImport);
  CHECK(plan[5].reason.empty());
}
