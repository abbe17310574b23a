// References through the metaverse (inbound_references.hpp, reference_index.hpp) and group-based
// filtering (membership.hpp, membership_watch.hpp), at the level of sync steps.
#include <algorithm>

#include "store/reference_index.hpp"
#include "support.hpp"

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

// A record whose `name` holds references (DNs: every test object's DN is "cn=<anchor>").
importer::ImportRecord with_refs(importer::ImportRecord r, const std::string& name,
                                 const std::vector<std::string>& anchors) {
  std::vector<std::string> dns;
  for (const auto& a : anchors) dns.push_back("cn=" + a);
  r.attributes.push_back({name, IDSYNC_VALUE_REFERENCE, IDSYNC_ATTR_REPLACE, dns});
  return r;
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
