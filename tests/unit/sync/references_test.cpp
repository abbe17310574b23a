// References through the metaverse (inbound_references.hpp, reference_index.hpp) and group-based
// filtering (membership.hpp, membership_watch.hpp), at the level of sync steps.
#include <algorithm>

#include "store/dirty_attributes.hpp"
#include "store/pending_export.hpp"
#include "store/reference_index.hpp"
#include "support.hpp"
#include "sync/outbound_sync.hpp"

using namespace idsync;
using namespace idsync::testing;

namespace {

std::string rules(const std::string& person_scoping = "") {
  return R"J({"rules": [
    {"name": "HR persons", "direction": "inbound", "connector": "HR",
     "cs_object_type": "person", "mv_object_type": "person", "link_type": "Provision",
     "precedence": 10, )J" +
         (person_scoping.empty() ? std::string() : "\"scoping\": " + person_scoping + ", ") +
         R"J("transformations": [
       {"flow": "direct", "target": "employeeId", "source": "employeeId"},
       {"flow": "direct", "target": "manager", "source": "manager"}]},
    {"name": "HR groups", "direction": "inbound", "connector": "HR",
     "cs_object_type": "group", "mv_object_type": "group", "link_type": "Provision",
     "precedence": 20,
     "transformations": [
       {"flow": "direct", "target": "groupId", "source": "employeeId"},
       {"flow": "direct", "target": "member", "source": "member"}]}]})J";
}

importer::ImportRecord group(const std::string& anchor, const std::vector<std::string>& members) {
  return with_refs(state("group", anchor, {{"employeeId", anchor}}), "member", members);
}

importer::ImportRecord person_record(const std::string& anchor, const std::string& manager = "") {
  auto r = state("person", anchor, {{"employeeId", anchor}});
  return manager.empty() ? r : with_refs(std::move(r), "manager", {manager});
}

// The anchors (in HR) of the MV objects an MV reference attribute names, sorted.
std::vector<std::string> named(SyncFixture& f, const store::MvObject& o, const std::string& attr) {
  std::vector<std::string> out;
  const store::MvAttribute* a = o.find(attr);
  if (!a) return out;
  CHECK(a->type == IDSYNC_VALUE_REFERENCE);
  for (const std::string& v : a->values)
    out.push_back(
        store::Links(f.store()).anchor_of(store::mv_id_of(v), f.hr).value_or("<unlinked>"));
  std::sort(out.begin(), out.end());
  return out;
}

void populate(SyncFixture& f) {
  f.set_rules(rules());
  // "0-g" sorts before the people: the group is synced first, before they are in the metaverse.
  f.import(f.hr, {group("0-g", {"a", "b"}), person_record("a"), person_record("b", "a"),
                  person_record("c", "z")});
}

}  // namespace

TEST_CASE("a group synced before its members gets them in the same Full Sync") {
  SyncFixture f;
  populate(f);
  sync::InboundOptions one_per_batch;
  one_per_batch.batch_size = 1;
  const auto r = f.full("HR", one_per_batch);
  CHECK(r.projections == 4);
  CHECK(named(f, *f.mv_of(f.hr, "0-g"), "member") == std::vector<std::string>{"a", "b"});
  CHECK(named(f, *f.mv_of(f.hr, "b"), "manager") == std::vector<std::string>{"a"});
  // c's manager z is nobody: left out, and c waits for z.
  CHECK(f.mv_of(f.hr, "c")->find("manager") == nullptr);
  CHECK(f.queued(f.hr).empty());

  f.import(f.hr, {person_record("z")});
  f.delta("HR");
  CHECK(named(f, *f.mv_of(f.hr, "c"), "manager") == std::vector<std::string>{"z"});
}

TEST_CASE("an interrupted Full Sync with waiting references, rerun, equals an uninterrupted one") {
  SyncFixture reference;
  populate(reference);
  reference.full("HR");

  SyncFixture crashed;
  populate(crashed);
  sync::InboundOptions small;
  small.batch_size = 1;
  small.stop_after_batches = 1;  // the group is synced; its members are not yet
  CHECK_FALSE(crashed.full("HR", small).completed);
  CHECK(crashed.mv_of(crashed.hr, "0-g")->find("member") == nullptr);
  small.stop_after_batches.reset();
  CHECK(crashed.delta("HR", small).completed);
  CHECK(crashed.metaverse() == reference.metaverse());
  CHECK(crashed.queued(crashed.hr).empty());
}

TEST_CASE("a deleted MV object leaves the references others hold to it") {
  SyncFixture f;
  populate(f);
  f.full("HR");
  const uint64_t a = *f.mv_id(f.hr, "a");
  CHECK(store::ReferenceIndex(f.store()).holders(a) ==
        std::vector<uint64_t>{*f.mv_id(f.hr, "0-g"), *f.mv_id(f.hr, "b")});

  f.import(f.hr, {deleted("person", "a")});
  sync::InboundOptions options;
  options.deprovisioning = sync::Deprovisioning::delete_mv_when_last_authoritative_source_goes;
  f.delta("HR", options);
  CHECK(named(f, *f.mv_of(f.hr, "0-g"), "member") == std::vector<std::string>{"b"});
  CHECK(f.mv_of(f.hr, "b")->find("manager") == nullptr);
  CHECK(store::ReferenceIndex(f.store()).holders(a).empty());
}

TEST_CASE("ISMEMBEROF: joining or leaving the group brings a person in or takes them out") {
  SyncFixture f;
  f.set_rules(rules(R"([[{"operator": "ISMEMBEROF", "value": "cn=0-g"}]])"));
  f.import(f.hr, {group("0-g", {"a"}), person_record("a"), person_record("b")});
  f.full("HR");
  CHECK(f.mv_of(f.hr, "a"));
  CHECK_FALSE(f.mv_of(f.hr, "b"));

  // Only the group changes; b's own record does not.
  f.import(f.hr, {group("0-g", {"a", "b"})});
  auto r = f.delta("HR");
  CHECK(r.projections == 1);
  CHECK(f.mv_of(f.hr, "b"));
  CHECK(named(f, *f.mv_of(f.hr, "0-g"), "member") == std::vector<std::string>{"a", "b"});

  f.import(f.hr, {group("0-g", {"b"})});
  r = f.delta("HR");
  CHECK(r.disconnectors == 1);
  CHECK_FALSE(f.mv_of(f.hr, "a"));
}

namespace {

// Forgets every outbound mark, as an outbound sync would after evaluating them.
void clear_marks(SyncFixture& f) {
  rocksdb::WriteBatch b;
  store::DirtyAttributes dirty(f.store());
  dirty.for_each([&](uint64_t id, const store::DirtySet&) {
    dirty.clear(b, id);
    return true;
  });
  f.store().write(b);
}

// Makes `anchor`'s DN resolve to nothing, so that a sync that looks it up again shows.
void hide_dn(SyncFixture& f, const std::string& anchor) {
  rocksdb::WriteBatch b;
  const store::ConnectorSpace cs(f.store(), f.hr);
  b.Delete(f.store().family(store::Family::cs_dn), cs.dn_key("cn=" + anchor));
  f.store().write(b);
}

}  // namespace

TEST_CASE("a member added to a group is resolved alone, and its mark carries the one value") {
  SyncFixture f;
  f.set_rules(rules());
  f.import(f.hr,
           {group("0-g", {"a", "b"}), person_record("a"), person_record("b"), person_record("c")});
  f.full("HR");
  clear_marks(f);
  const uint64_t g = f.mv_of(f.hr, "0-g")->id;
  const uint64_t a = f.mv_of(f.hr, "a")->id;
  const uint64_t c = f.mv_of(f.hr, "c")->id;
  // If the sync looked b up again, b would drop out of the group.
  hide_dn(f, "b");

  SECTION("a Delta Sync applies the change to the values the last sync left") {
    f.import(f.hr, {group("0-g", {"b", "c"})});
    f.delta("HR");
    CHECK(named(f, *f.mv_of(f.hr, "0-g"), "member") == std::vector<std::string>{"b", "c"});
    const auto marks = store::DirtyAttributes(f.store()).get(g);
    REQUIRE(marks);
    CHECK_FALSE(marks->object);
    REQUIRE(marks->value_change("member"));
    CHECK(marks->value_change("member")->added == std::vector<std::string>{store::mv_key(c)});
    CHECK(marks->value_change("member")->removed == std::vector<std::string>{store::mv_key(a)});
  }
  SECTION("a Full Sync resolves every value") {
    f.import(f.hr, {group("0-g", {"a", "b", "c"})});
    f.full("HR");
    CHECK(named(f, *f.mv_of(f.hr, "0-g"), "member") == std::vector<std::string>{"a", "c"});
  }
  SECTION("after an inbound rule change, until a Full Sync, every value is resolved") {
    std::string changed = rules();
    changed.replace(changed.find("\"precedence\": 20"), 16, "\"precedence\": 21");
    f.set_rules(changed);
    f.import(f.hr, {group("0-g", {"a", "b", "c"})});
    f.delta("HR");
    CHECK(named(f, *f.mv_of(f.hr, "0-g"), "member") == std::vector<std::string>{"a", "c"});
    const auto marks = store::DirtyAttributes(f.store()).get(g);
    REQUIRE(marks);
    CHECK_FALSE(marks->value_change("member"));
  }
}

TEST_CASE("a member named twice stays in the group while one of its names does") {
  SyncFixture f;
  f.set_rules(rules());
  auto members = [](std::vector<std::string> values) {
    auto r = state("group", "0-g", {{"employeeId", "0-g"}});
    r.attributes.push_back(
        {"member", IDSYNC_VALUE_REFERENCE, IDSYNC_ATTR_REPLACE, std::move(values)});
    return r;
  };
  // a by its DN and by its anchor; b by its DN in two letter cases.
  f.import(f.hr, {members({"cn=a", "a", "cn=b", "CN=B"}), person_record("a"), person_record("b")});
  f.full("HR");
  const uint64_t g = f.mv_of(f.hr, "0-g")->id;
  CHECK(named(f, *f.mv_of(f.hr, "0-g"), "member") == std::vector<std::string>{"a", "b"});
  clear_marks(f);

  // One name of each goes: the other still names the object, so both stay, value by value.
  f.import(f.hr, {members({"a", "CN=B"})});
  f.delta("HR");
  CHECK(named(f, *f.mv_of(f.hr, "0-g"), "member") == std::vector<std::string>{"a", "b"});
  CHECK_FALSE(store::DirtyAttributes(f.store()).get(g));  // nothing changed in the metaverse

  // The last name of a goes: a leaves the group, and only a.
  f.import(f.hr, {members({"CN=B"})});
  f.delta("HR");
  CHECK(named(f, *f.mv_of(f.hr, "0-g"), "member") == std::vector<std::string>{"b"});
  const auto marks = store::DirtyAttributes(f.store()).get(g);
  REQUIRE(marks);
  REQUIRE(marks->value_change("member"));
  CHECK(marks->value_change("member")->removed ==
        std::vector<std::string>{store::mv_key(*f.mv_id(f.hr, "a"))});
}

TEST_CASE("a removed member that no longer resolves makes the group resolve as a whole") {
  SyncFixture f;
  f.set_rules(rules());
  f.import(f.hr, {group("0-g", {"a", "b"}), person_record("a"), person_record("b")});
  f.full("HR");
  // b's rename reaches the group in the same import: the old DN names nobody any more.
  auto renamed = person_record("b");
  renamed.dn = "cn=b2";
  std::vector<std::string> members = {"cn=a", "cn=b2"};
  auto g = state("group", "0-g", {{"employeeId", "0-g"}});
  g.attributes.push_back({"member", IDSYNC_VALUE_REFERENCE, IDSYNC_ATTR_REPLACE, members});
  f.import(f.hr, {renamed, g});
  f.delta("HR");
  CHECK(named(f, *f.mv_of(f.hr, "0-g"), "member") == std::vector<std::string>{"a", "b"});
}

TEST_CASE("a member added to a group reaches the target as that one value") {
  SyncFixture f;
  std::string all = rules();
  all.erase(all.rfind(']'));
  all += R"J(,
    {"name": "Out persons", "direction": "outbound", "connector": "Directory",
     "cs_object_type": "person", "mv_object_type": "person", "link_type": "Provision",
     "precedence": 100,
     "transformations": [{"flow": "expression", "target": "dn",
                          "expression": "\"cn=\" & [employeeId] & \",ou=t\""}]},
    {"name": "Out groups", "direction": "outbound", "connector": "Directory",
     "cs_object_type": "group", "mv_object_type": "group", "link_type": "Provision",
     "precedence": 110,
     "transformations": [{"flow": "expression", "target": "dn",
                          "expression": "\"cn=\" & [groupId] & \",ou=t\""},
                         {"flow": "direct", "target": "member", "source": "member"}]}]})J";
  f.set_rules(all);
  const uint32_t directory = f.store().connector_id("Directory");
  f.import(f.hr,
           {group("0-g", {"a", "b"}), person_record("a"), person_record("b"), person_record("c")});
  f.full("HR");
  sync::OutboundSync(f.store(), f.rules(), {}).run();
  const uint64_t g = f.mv_of(f.hr, "0-g")->id;
  const std::string group_anchor = *store::Links(f.store()).anchor_of(g, directory);
  auto members = [&] {
    auto pe = store::PendingExports(f.store(), directory).get(group_anchor);
    REQUIRE(pe);
    std::vector<std::string> out;
    for (const auto& d : pe->attributes)
      if (d.name == "member") out.insert(out.end(), d.values.begin(), d.values.end());
    std::sort(out.begin(), out.end());
    return out;
  };
  CHECK(members() == std::vector<std::string>{"cn=a,ou=t", "cn=b,ou=t"});
  // If outbound sync translated b again, b would leave the target's member list.
  rocksdb::WriteBatch b;
  store::Links(f.store()).unlink(
      b, directory, *store::Links(f.store()).anchor_of(f.mv_of(f.hr, "b")->id, directory));
  f.store().write(b);

  f.import(f.hr, {group("0-g", {"a", "b", "c"})});
  f.delta("HR");
  const auto r = sync::OutboundSync(f.store(), f.rules(), {}).run();
  CHECK(r.errors == 0);
  CHECK(members() == std::vector<std::string>{"cn=a,ou=t", "cn=b,ou=t", "cn=c,ou=t"});

  // A change the value-level path cannot carry (the object itself marked) sends the whole
  // list again, which no longer has b.
  rocksdb::WriteBatch mark;
  store::DirtyAttributes(f.store()).mark(mark, g, {}, true);
  f.store().write(mark);
  sync::OutboundSync(f.store(), f.rules(), {}).run();
  CHECK(members() == std::vector<std::string>{"cn=a,ou=t", "cn=c,ou=t"});
}
