// Outbound sync and a target's secret (write-only) attributes: the password goes into the ADD
// that provisions an object and never into an update, however often the object syncs and
// whatever its source changes.
#include "store/secret_attributes.hpp"

#include "exporter/provisional_anchor.hpp"
#include "store/codec.hpp"
#include "store/dirty_attributes.hpp"
#include "store/pending_export.hpp"
#include "support.hpp"
#include "sync/outbound_sync.hpp"

using namespace idsync;
using namespace idsync::testing;

namespace {

// HR's rules plus a Directory target that provisions persons with a cn and an initial
// password made from the display name, so that a name change would change the password.
std::string with_password_target() {
  std::string rules = rules_json();
  rules.erase(rules.rfind(']'));
  return rules + R"J(,
    {"name": "Out to Directory", "direction": "outbound", "connector": "Directory",
     "cs_object_type": "inetOrgPerson", "mv_object_type": "person", "link_type": "Provision",
     "precedence": 100,
     "transformations": [
       {"flow": "expression", "target": "dn", "expression": "\"uid=\" & [employeeId]"},
       {"flow": "direct", "target": "cn", "source": "displayName"},
       {"flow": "expression", "target": "userPassword", "expression": "\"pw-\" & [displayName]"}]}
  ]})J";
}

struct Secrets : SyncFixture {
  Secrets() {
    set_rules(with_password_target());
    directory = store().connector_id("Directory");
    // What the Directory connector's schema said at its last import or export.
    store::write_secret_attributes(store(), directory, store::SecretAttributes({"UserPassword"}));
  }
  sync::OutboundResult outbound() {
    sync::OutboundOptions options;
    options.now_unix_ms = 1'700'000'000'000;
    return sync::OutboundSync(store(), rules(), options).run();
  }
  std::string directory_anchor(const std::string& hr_anchor) {
    auto id = mv_id(hr, hr_anchor);
    REQUIRE(id);
    auto anchor = store::Links(store()).anchor_of(*id, directory);
    REQUIRE(anchor);
    return *anchor;
  }
  std::optional<store::PendingExport> pending(const std::string& anchor) {
    return store::PendingExports(store(), directory).get(anchor);
  }
  // What a successful export of the add and the import after it leave: the object under its
  // real anchor with what the directory returns (cn, never the password), no pending export.
  void exported_and_reimported(const std::string& provisional, const std::string& real) {
    auto pe = pending(provisional);
    REQUIRE(pe);
    const store::ConnectorSpace cs(store(), directory);
    store::CsObject o;
    o.anchor = real;
    o.object_type = pe->object_type;
    o.dn = pe->dn;
    for (const auto& d : pe->attributes)
      if (!store::iequals(d.name, "userPassword"))
        o.attributes.push_back({d.name, d.type, d.values});
    store::canonicalize(o.attributes);
    std::string v;
    store::encode_cs_object(o, v);
    const uint64_t id = *store::Links(store()).mv_of(directory, provisional);
    rocksdb::WriteBatch b;
    b.Delete(store().family(store::Family::cs), cs.object_key(provisional));
    b.Put(store().family(store::Family::cs), cs.object_key(real), v);
    store::Links(store()).unlink(b, directory, provisional);
    store::PendingExports(store(), directory).remove(b, provisional);
    store().write(b);
    rocksdb::WriteBatch b2;
    store::Links(store()).link(b2, directory, real, id);
    store().write(b2);
  }
  // Marks the MV object of HR's `hr_anchor` whole, so the next outbound run evaluates it
  // against the target whatever changed.
  void touch(const std::string& hr_anchor) {
    rocksdb::WriteBatch b;
    store::DirtyAttributes(store()).mark(b, *mv_id(hr, hr_anchor), {}, true);
    store().write(b);
  }
  uint32_t directory = 0;
};

}  // namespace

TEST_CASE("a secret attribute flows into the ADD that provisions the object") {
  Secrets f;
  f.import(f.hr, {state("person", "h1", person("E1", "Ann"))});
  f.full("HR");
  f.outbound();
  const std::string anchor = f.directory_anchor("h1");
  CHECK(exporter::is_provisional_anchor(anchor));
  const auto pe = f.pending(anchor);
  REQUIRE(pe);
  CHECK(pe->kind == store::ExportKind::add);
  const store::AttributeDelta* password = pe->find("userPassword", store::ValueOp::replace);
  REQUIRE(password);
  CHECK(password->values == std::vector<std::string>{"pw-Ann"});
  CHECK(pe->find("cn", store::ValueOp::replace));
}

TEST_CASE("a secret attribute is not planned again once the object exists") {
  Secrets f;
  f.import(f.hr, {state("person", "h1", person("E1", "Ann"))});
  f.full("HR");
  f.outbound();
  f.exported_and_reimported(f.directory_anchor("h1"), "dir-1");

  SECTION("evaluating the object again plans nothing, though the password is not seen") {
    f.touch("h1");
    f.outbound();
    CHECK_FALSE(f.pending("dir-1"));
  }
  SECTION("a change in the source updates the rest, and not the password") {
    f.import(f.hr, {state("person", "h1", person("E1", "Annie"))});
    f.delta("HR");
    f.outbound();
    const auto pe = f.pending("dir-1");
    REQUIRE(pe);
    CHECK(pe->kind == store::ExportKind::update);
    CHECK(pe->find("cn", store::ValueOp::replace));
    for (const auto& d : pe->attributes) CHECK_FALSE(store::iequals(d.name, "userPassword"));
  }
}

TEST_CASE("without the secret flag the password would be sent on every sync") {
  // The defect the flag fixes: the target never shows the password, so the expected state
  // lacks it and each evaluation plans it again.
  Secrets f;
  store::write_secret_attributes(f.store(), f.directory, {});
  f.import(f.hr, {state("person", "h1", person("E1", "Ann"))});
  f.full("HR");
  f.outbound();
  f.exported_and_reimported(f.directory_anchor("h1"), "dir-1");
  f.touch("h1");
  f.outbound();
  const auto pe = f.pending("dir-1");
  REQUIRE(pe);
  CHECK(pe->find("userPassword", store::ValueOp::replace));
}
