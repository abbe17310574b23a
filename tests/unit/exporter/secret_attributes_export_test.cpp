// The export and a connector's secret (write-only) attributes: the password goes out with the
// ADD, and once that ADD has succeeded the store keeps it nowhere; a failed ADD keeps it only
// to send it again. The last case follows one password from the sync that provisions the
// object through its export and the confirming import to the next sync.
#include <catch2/catch.hpp>
#include <cstring>

#include "exporter/confirm_builder.hpp"
#include "exporter/export_step.hpp"
#include "fixtures.hpp"
#include "importer/page_stager.hpp"
#include "scripted_connector.hpp"
#include "store/secret_attributes.hpp"
#include "support/temp_dir.hpp"
#include "sync/outbound_sync.hpp"
#include "unit/sync/support.hpp"

using namespace idsync;
using namespace idsync::exporter::test;
using store::ExportKind;

namespace {

constexpr char kPassword[] = "Secret-1";

// "person" with cn and a write-only userPassword, as a directory connector declares it.
idsync_status schema_with_password(idsync_connector*, const idsync_schema_sink* sink,
                                   const idsync_diag*) {
  auto info = [](const char* name, uint32_t flags) {
    return idsync_attr_info{
        sizeof(idsync_attr_info), {name, std::strlen(name)}, IDSYNC_VALUE_STRING, flags};
  };
  const idsync_attr_info cn = info("cn", 0);
  const idsync_attr_info password = info("userPassword", IDSYNC_ATTRINFO_SECRET);
  const idsync_attr_info* attrs[] = {&cn, &password};
  const idsync_object_type_info person{
      sizeof(idsync_object_type_info), {"person", 6}, {"cn", 2}, attrs, 2};
  return sink->object_type(sink->host_ctx, &person);
}

exporter::ExportResult run(store::Store& st, Script& sc) {
  idsync_connector_type type = scripted_type();
  type.get_schema = &schema_with_password;
  return exporter::run_export(st, kConnector, type, handle(sc), options());
}

// Every key and value in every column family that contains `secret`, as "family: key".
std::vector<std::string> holding(store::Store& st, const std::string& secret) {
  std::vector<std::string> out;
  for (size_t f = 0; f < store::kFamilyCount; ++f) {
    const rocksdb::ReadOptions read;
    auto it = st.iterator(static_cast<store::Family>(f), read);
    for (it->SeekToFirst(); it->Valid(); it->Next())
      if (it->key().ToString().find(secret) != std::string::npos ||
          it->value().ToString().find(secret) != std::string::npos)
        out.push_back(std::to_string(f) + ": " + it->key().ToString());
  }
  return out;
}

const SentAttr* sent(const SentOp& op, const std::string& name) {
  for (const SentAttr& a : op.attributes)
    if (a.name == name) return &a;
  return nullptr;
}

}  // namespace

TEST_CASE("a secret is sent with the ADD and not kept once the ADD succeeded") {
  testing::TempDir dir;
  auto st = store::Store::open(dir / "db");
  put_pending(
      *st, "a",
      pending(ExportKind::add, "cn=a", {delta("cn", {"A"}), delta("userPassword", {kPassword})}));
  Script sc;
  CHECK(run(*st, sc).status == "success");
  REQUIRE(sc.all_ops().size() == 1);
  const SentAttr* password = sent(sc.all_ops()[0], "userPassword");
  REQUIRE(password);
  CHECK(password->values == std::vector<std::string>{kPassword});

  CHECK(all_pending(*st).empty());
  const auto confirms = all_confirms(*st);
  REQUIRE(confirms.size() == 1);
  const store::ExportConfirm& c = confirms.begin()->second;
  REQUIRE(c.attributes.size() == 1);
  CHECK(c.attributes[0].name == "cn");  // what the import can check; not the password
  CHECK(holding(*st, kPassword).empty());
  CHECK(store::read_secret_attributes(*st, st->connector_id(kConnector)) ==
        store::SecretAttributes({"userpassword"}));
}

TEST_CASE("a failed ADD keeps its secret to send it again and not after it succeeded") {
  testing::TempDir dir;
  auto st = store::Store::open(dir / "db");
  put_pending(
      *st, "a",
      pending(ExportKind::add, "cn=a", {delta("cn", {"A"}), delta("userPassword", {kPassword})}));
  Script failing;
  failing.fail["cn=a"] = Failure{IDSYNC_ERROR, IDSYNC_ERR_INVALID_VALUE, "password too short"};
  CHECK(run(*st, failing).status == "completed-export-errors");
  const auto kept = all_pending(*st);
  REQUIRE(kept.size() == 1);
  CHECK(kept.begin()->second.find("userPassword", store::ValueOp::replace));
  CHECK(kept.begin()->second.attempts == 1);

  Script working;
  CHECK(run(*st, working).status == "success");
  REQUIRE(working.all_ops().size() == 1);
  CHECK(sent(working.all_ops()[0], "userPassword"));
  CHECK(holding(*st, kPassword).empty());
}

TEST_CASE("an update's confirmation drops a secret an earlier confirmation held") {
  // A confirmation written before the connector declared the secret.
  const store::ExportConfirm earlier{
      "cn=a", {{"userPassword", IDSYNC_VALUE_STRING, {kPassword}}}, 1};
  const store::PendingExport update = pending(
      ExportKind::update, "cn=a", {delta("cn", {"A2"}), delta("userPassword", {kPassword})});
  const store::ExportConfirm c = exporter::build_confirm(update, std::nullopt, earlier, "", 2,
                                                         store::SecretAttributes({"userPassword"}));
  REQUIRE(c.attributes.size() == 1);
  CHECK(c.attributes[0].name == "cn");
}

namespace {

// HR's rules plus the LDAP target: persons are provisioned with a cn and an initial password
// made from the display name.
std::string rules_with_password() {
  std::string rules = testing::rules_json();
  rules.erase(rules.rfind(']'));
  return rules + R"J(,
    {"name": "Out to LDAP", "direction": "outbound", "connector": "LDAP",
     "cs_object_type": "person", "mv_object_type": "person", "link_type": "Provision",
     "precedence": 100,
     "transformations": [
       {"flow": "expression", "target": "dn", "expression": "\"uid=\" & [employeeId]"},
       {"flow": "direct", "target": "cn", "source": "displayName"},
       {"flow": "expression", "target": "userPassword", "expression": "\"pw-\" & [displayName]"}]}
  ]})J";
}

void outbound(testing::SyncFixture& f) {
  sync::OutboundOptions options;
  options.now_unix_ms = kNow;
  REQUIRE(sync::OutboundSync(f.store(), f.rules(), options).run().completed);
}

}  // namespace

TEST_CASE(
    "an initial password is provisioned and exported once and then neither checked nor kept") {
  testing::SyncFixture f;
  f.set_rules(rules_with_password());
  store::Store& st = f.store();
  const uint32_t ldap = st.connector_id(kConnector);
  f.import(f.hr, {testing::state("person", "h1", testing::person("E1", "Ann"))});
  f.full("HR");
  outbound(f);  // provisions the person into LDAP, whose schema the host has not read yet

  Script sc;
  CHECK(run(st, sc).status == "success");
  REQUIRE(sc.all_ops().size() == 1);
  CHECK(sc.all_ops()[0].kind == IDSYNC_EXPORT_ADD);
  REQUIRE(sent(sc.all_ops()[0], "userPassword"));
  CHECK(sent(sc.all_ops()[0], "userPassword")->values == std::vector<std::string>{"pw-Ann"});
  CHECK(holding(st, "pw-Ann").empty());

  // The confirming import: the directory returns the object without its password.
  store::ImportProgress progress;
  progress.kind = store::ImportKind::delta;
  importer::PageStager stager(st, ldap, progress, {}, store::read_secret_attributes(st, ldap));
  importer::ImportRecord r;
  r.change = IDSYNC_CHANGE_STATE;
  r.object_type = "person";
  r.anchor = "guid-uid=E1";  // the anchor the scripted directory assigned
  r.dn = "uid=E1";
  r.attributes.push_back({"cn", IDSYNC_VALUE_STRING, IDSYNC_ATTR_REPLACE, {"Ann"}});
  stager.add(std::move(r));
  stager.commit_page("1");
  stager.finish(true, "wm");
  CHECK(stager.counters().not_reimported == 0);
  CHECK(stager.issues().empty());

  // A name change later: cn follows, the password does not.
  f.import(f.hr, {testing::state("person", "h1", testing::person("E1", "Annie"))});
  f.delta("HR");
  outbound(f);
  const auto later = all_pending(st);
  REQUIRE(later.size() == 1);
  CHECK(later.begin()->second.kind == ExportKind::update);
  CHECK(later.begin()->second.find("cn", store::ValueOp::replace));
  CHECK_FALSE(later.begin()->second.find("userPassword", store::ValueOp::replace));
  CHECK(holding(st, "pw-Ann").empty());
}
