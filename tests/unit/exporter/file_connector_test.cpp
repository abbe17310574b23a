// End to end through the runtime with the shipped file connector: pending exports written into
// the store as outbound sync would, an export run profile writes them to an LDIF file, and a
// full import of that file finds exactly what the export confirmations say was sent.
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "fixtures.hpp"
#include "runtime/runtime.hpp"
#include "store/connector_space.hpp"
#include "support/temp_dir.hpp"

using namespace idsync;
using namespace idsync::exporter::test;
using idsync::testing::TempDir;
using store::ExportKind;

namespace {

std::filesystem::path write_manifest(const TempDir& dir, bool staging) {
  const auto path = dir / "idsync.json";
  std::ofstream(path) << R"({
  "store": { "path": "state/store" },
  "plugin_dirs": [")" << IDSYNC_TEST_PLUGIN_DIR
                      << R"("],
  "scheduler": { "staging_mode_enabled": )"
                      << (staging ? "true" : "false") << R"( },
  "connectors": [ {
    "name": "LDAP", "type": "file",
    "config": { "path": "people.ldif", "format": "ldif", "anchor_attribute": "uid",
                "export_file": "people.ldif" },
    "run_profiles": {
      "Export": [ { "type": "export" } ],
      "Full Import": [ { "type": "full_import" } ] } } ]
})";
  return path;
}

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

store::PendingExport person(const std::string& uid, const std::string& cn) {
  return pending(ExportKind::add, "uid=" + uid + ",ou=people,dc=example,dc=com",
                 {delta("cn", {cn}), delta("sn", {"Test"}), delta("uid", {uid})});
}

runtime::ProfileReport run_profile(runtime::Runtime& rt, const std::string& name) {
  const auto* decl = rt.manifest().find_connector("LDAP");
  return rt.run_profile(*decl, *decl->find_run_profile(name), {});
}

}  // namespace

TEST_CASE("the file connector exports pending exports and a full import confirms them") {
  TempDir dir;
  runtime::Runtime rt(write_manifest(dir, false));
  store::Store& st = rt.store();
  put_pending(st, "alice", person("alice", "Alice Liddell"));
  put_pending(st, "bob", person("bob", "Bob Builder"));

  auto report = run_profile(rt, "Export");
  REQUIRE(report.steps.size() == 1);
  INFO(report.steps[0].result.message);
  CHECK(report.steps[0].result.status == "success");
  CHECK(report.steps[0].result.counters.adds == 2);
  const std::string ldif = read(dir / "people.ldif");
  CHECK(ldif.find("dn: uid=alice,ou=people,dc=example,dc=com") != std::string::npos);
  CHECK(ldif.find("cn: Bob Builder") != std::string::npos);
  CHECK(all_pending(st).empty());
  const auto confirms = all_confirms(st);
  REQUIRE(confirms.size() == 2);

  report = run_profile(rt, "Full Import");
  INFO(report.steps[0].result.message);
  REQUIRE(report.ok());
  store::ConnectorSpace cs(st, st.connector_id(kConnector));
  for (const auto& [anchor, confirm] : confirms) {
    const auto o = cs.get(anchor);
    REQUIRE(o);
    CHECK(o->dn == confirm.dn);
    for (const auto& a : confirm.attributes) {
      const auto* seen = o->find(a.name);
      REQUIRE(seen);
      CHECK(seen->values == a.values);
    }
  }

  SECTION("an update and a delete reach the file too") {
    put_pending(st, "alice",
                pending(ExportKind::update, "uid=alice,ou=people,dc=example,dc=com",
                        {delta("cn", {"Alice Pleasance Liddell"})}));
    put_pending(st, "bob", pending(ExportKind::remove, "uid=bob,ou=people,dc=example,dc=com"));
    report = run_profile(rt, "Export");
    INFO(report.steps[0].result.message);
    CHECK(report.steps[0].result.status == "success");
    const std::string after = read(dir / "people.ldif");
    CHECK(after.find("cn: Alice Pleasance Liddell") != std::string::npos);
    CHECK(after.find("uid=bob") == std::string::npos);
    CHECK(all_pending(st).empty());
  }

  SECTION("an update of an object the file does not hold fails and stays pending") {
    put_pending(st, "carol",
                pending(ExportKind::update, "uid=carol,ou=people,dc=example,dc=com",
                        {delta("cn", {"Carol"})}));
    report = run_profile(rt, "Export");
    CHECK(report.steps[0].result.status == "completed-export-errors");
    const auto left = all_pending(st);
    REQUIRE(left.count("carol"));
    REQUIRE(left.at("carol").last_error);
    CHECK(left.at("carol").last_error->kind == IDSYNC_ERR_UNKNOWN_OBJECT);
    CHECK(left.at("carol").attempts == 1);
  }
}

TEST_CASE("the manifest's staging mode keeps the export file untouched") {
  TempDir dir;
  runtime::Runtime rt(write_manifest(dir, true));
  put_pending(rt.store(), "alice", person("alice", "Alice"));
  const auto report = run_profile(rt, "Export");
  REQUIRE(report.steps.size() == 1);
  CHECK(report.steps[0].result.status == "success");
  CHECK(report.steps[0].result.message == "staging mode: 1 pending export not sent");
  CHECK_FALSE(std::filesystem::exists(dir / "people.ldif"));
  CHECK(all_pending(rt.store()).size() == 1);
}
