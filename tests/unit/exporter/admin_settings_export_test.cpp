// The admin-held settings in the store decide what an export run profile does, through the
// runtime and the shipped file connector: the connector's deletion threshold (count, percentage,
// disabled) and the store's staging mode flag beside the manifest's.
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "fixtures.hpp"
#include "runtime/runtime.hpp"
#include "store/admin_settings.hpp"
#include "support/temp_dir.hpp"

using namespace idsync;
using namespace idsync::exporter::test;
using idsync::testing::TempDir;
using store::DeletionThreshold;
using store::ExportKind;

namespace {

constexpr const char* kProfile = "Export All";

std::filesystem::path write_manifest(const TempDir& dir) {
  const auto path = dir / "idsync.json";
  std::ofstream(path) << R"({
  "store": { "path": "state/store" },
  "plugin_dirs": [")" << IDSYNC_TEST_PLUGIN_DIR
                      << R"("],
  "connectors": [ {
    "name": "LDAP", "type": "file",
    "config": { "path": "people.ldif", "format": "ldif", "anchor_attribute": "uid",
                "export_file": "people.ldif" },
    "run_profiles": {
      "Export All": [ { "type": "export" } ],
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

std::string dn(const std::string& uid) { return "uid=" + uid + ",ou=people,dc=example,dc=com"; }

importer::StepResult run_profile(runtime::Runtime& rt, const std::string& name) {
  const auto* decl = rt.manifest().find_connector(kConnector);
  const auto report = rt.run_profile(*decl, *decl->find_run_profile(name), {});
  REQUIRE(report.steps.size() == 1);
  return report.steps[0].result;
}

// Exports three people to the file, imports them back (so the connector space holds three
// objects), then queues a delete for each of `deleted`.
void three_people_then_delete(runtime::Runtime& rt, const std::vector<std::string>& deleted) {
  store::Store& st = rt.store();
  for (std::string uid : {"alice", "bob", "carol"})
    put_pending(st, uid,
                pending(ExportKind::add, dn(uid),
                        {delta("cn", {uid}), delta("sn", {"Test"}), delta("uid", {uid})}));
  REQUIRE(run_profile(rt, kProfile).status == "success");
  REQUIRE(run_profile(rt, "Full Import").status == "success");
  for (const auto& uid : deleted) put_pending(st, uid, pending(ExportKind::remove, dn(uid)));
}

uint32_t connector_id(runtime::Runtime& rt) { return rt.store().connector_id(kConnector); }

}  // namespace

TEST_CASE("the stored count threshold stops the export and says how to go on") {
  TempDir dir;
  runtime::Runtime rt(write_manifest(dir));
  three_people_then_delete(rt, {"alice", "bob", "carol"});
  store::write_deletion_threshold(rt.store(), connector_id(rt), {true, 2, std::nullopt});

  auto r = run_profile(rt, kProfile);
  CHECK(r.status == "stopped-deletion-threshold-exceeded");
  CHECK_THAT(r.message, Catch::StartsWith("3 pending deletes exceed the deletion threshold of 2;"));
  CHECK_THAT(r.message, Catch::Contains("`idsync pending-exports --connector LDAP`"));
  CHECK_THAT(r.message, Catch::Contains("`idsync run-profile --connector LDAP --profile "
                                        "\"Export All\" --allow-deletes`"));
  CHECK_THAT(r.message,
             Catch::Contains("`idsync deletion-threshold enable --connector LDAP --threshold 3`"));
  CHECK(all_pending(rt.store()).size() == 3);
  CHECK(read(dir / "people.ldif").find(dn("alice")) != std::string::npos);

  // The advised threshold lets exactly these deletes go.
  store::write_deletion_threshold(rt.store(), connector_id(rt), {true, 3, std::nullopt});
  r = run_profile(rt, kProfile);
  INFO(r.message);
  CHECK(r.status == "success");
  CHECK(r.counters.deletes == 3);
  CHECK(read(dir / "people.ldif").find(dn("alice")) == std::string::npos);
  CHECK(all_pending(rt.store()).empty());
}

TEST_CASE("a disabled stored threshold lets every delete go") {
  TempDir dir;
  runtime::Runtime rt(write_manifest(dir));
  three_people_then_delete(rt, {"alice", "bob"});
  store::write_deletion_threshold(rt.store(), connector_id(rt), {true, 0, std::nullopt});
  CHECK(run_profile(rt, kProfile).status == "stopped-deletion-threshold-exceeded");

  store::write_deletion_threshold(rt.store(), connector_id(rt), {false, 0, std::nullopt});
  const auto r = run_profile(rt, kProfile);
  INFO(r.message);
  CHECK(r.status == "success");
  CHECK(r.counters.deletes == 2);
  CHECK(all_pending(rt.store()).empty());
}

TEST_CASE("a stored percentage replaces the count and compares with the connector space") {
  TempDir dir;
  runtime::Runtime rt(write_manifest(dir));
  three_people_then_delete(rt, {"alice"});  // 1 of 3 objects: 33.3%

  // The count of 0 alone would stop this delete; with a percentage it is not checked.
  store::write_deletion_threshold(rt.store(), connector_id(rt), {true, 0, 30});
  auto r = run_profile(rt, kProfile);
  CHECK(r.status == "stopped-deletion-threshold-exceeded");
  CHECK_THAT(r.message, Catch::StartsWith("1 pending delete (33.3% of 3 objects) exceeds the "
                                          "deletion threshold of 30% of the connector space;"));
  CHECK_THAT(r.message, Catch::Contains("--threshold 34%`"));

  store::write_deletion_threshold(rt.store(), connector_id(rt), {true, 0, 34});
  r = run_profile(rt, kProfile);
  INFO(r.message);
  CHECK(r.status == "success");
  CHECK(r.counters.deletes == 1);
}

TEST_CASE("the store's staging flag keeps the export file untouched until it is cleared") {
  TempDir dir;
  runtime::Runtime rt(write_manifest(dir));
  REQUIRE_FALSE(rt.manifest().scheduler.staging_mode_enabled);
  store::write_staging_mode(rt.store(), true);
  put_pending(rt.store(), "alice",
              pending(ExportKind::add, dn("alice"), {delta("cn", {"Alice"}), delta("sn", {"L"})}));

  auto r = run_profile(rt, kProfile);
  CHECK(r.status == "success");
  CHECK(r.message == "staging mode: 1 pending export not sent");
  CHECK_FALSE(std::filesystem::exists(dir / "people.ldif"));
  CHECK(all_pending(rt.store()).size() == 1);

  store::write_staging_mode(rt.store(), false);
  r = run_profile(rt, kProfile);
  INFO(r.message);
  CHECK(r.status == "success");
  CHECK(r.counters.adds == 1);
  CHECK(read(dir / "people.ldif").find(dn("alice")) != std::string::npos);
}

TEST_CASE("a damaged stored setting stops the export as a store error and sends nothing") {
  TempDir dir;
  runtime::Runtime rt(write_manifest(dir));
  put_pending(rt.store(), "alice",
              pending(ExportKind::add, dn("alice"), {delta("cn", {"Alice"}), delta("sn", {"L"})}));
  rocksdb::WriteBatch b;
  b.Put(rt.store().family(store::Family::meta), store::deletion_threshold_key(connector_id(rt)),
        "\x01\x05");
  rt.store().write(b);

  const auto r = run_profile(rt, kProfile);
  CHECK(r.status == "stopped-store-error");
  CHECK_THAT(r.message, Catch::Contains("deletion threshold") && Catch::Contains("damaged"));
  CHECK_FALSE(std::filesystem::exists(dir / "people.ldif"));
  CHECK(all_pending(rt.store()).size() == 1);
}
