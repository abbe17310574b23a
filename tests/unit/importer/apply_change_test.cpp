#include "importer/apply_change.hpp"

#include <catch2/catch.hpp>

#include "records.hpp"

using namespace idsync::importer;
using idsync::store::CsObject;
using idsync::store::ImportCounters;
using idsync::store::PendingChange;

namespace {
ImportRecord state(const std::string& anchor, const std::string& dn,
                   std::vector<std::pair<std::string, std::vector<std::string>>> attrs,
                   idsync_change change = IDSYNC_CHANGE_STATE) {
  ImportRecord r = idsync::testing::record(change, "person", anchor, dn);
  for (auto& [name, values] : attrs)
    r.attributes.push_back({name, IDSYNC_VALUE_STRING, IDSYNC_ATTR_REPLACE, values});
  return r;
}
ImportRecord group(const std::string& anchor, std::vector<std::string> members) {
  ImportRecord r = idsync::testing::record(IDSYNC_CHANGE_STATE, "group", anchor, "cn=" + anchor);
  r.attributes.push_back({"member", IDSYNC_VALUE_REFERENCE, IDSYNC_ATTR_REPLACE, members});
  r.attributes.push_back({"description", IDSYNC_VALUE_STRING, IDSYNC_ATTR_REPLACE, {"d"}});
  return r;
}
CsObject synced(std::optional<CsObject> o) {
  o->pending = PendingChange::none;  // what a sync leaves behind
  o->changed_attributes.clear();
  o->value_changes.clear();
  o->previous_dn.clear();
  return *o;
}
}  // namespace

TEST_CASE("a new object is a pending add and stays one until synced") {
  std::optional<CsObject> o;
  ImportCounters c;
  apply_record(state("1", "cn=a", {{"sn", {"Lovelace"}}}), o, c);
  REQUIRE(o);
  CHECK(o->pending == PendingChange::add);
  CHECK(c.adds == 1);
  apply_record(state("1", "cn=a", {{"sn", {"King"}}}), o, c);
  CHECK(o->pending == PendingChange::add);
  CHECK(o->find("sn")->values == std::vector<std::string>{"King"});
}

TEST_CASE("an unchanged record leaves the object as it was") {
  std::optional<CsObject> o;
  ImportCounters c;
  apply_record(state("1", "cn=a", {{"sn", {"L"}}, {"givenName", {"Ada"}}}), o, c);
  o = synced(o);
  // Attribute order and name case in the source do not matter.
  apply_record(state("1", "cn=a", {{"GIVENNAME", {"Ada"}}, {"sn", {"L"}}}), o, c);
  CHECK(o->pending == PendingChange::none);
  CHECK(c.unchanged == 1);
}

TEST_CASE("changed attributes make a pending update that lists them") {
  std::optional<CsObject> o;
  ImportCounters c;
  apply_record(state("1", "cn=a", {{"sn", {"L"}}, {"mail", {"a@x"}}, {"title", {"Eng"}}}), o, c);
  o = synced(o);
  apply_record(state("1", "cn=a", {{"sn", {"K"}}, {"mail", {"a@x"}}}), o, c);
  CHECK(o->pending == PendingChange::update);
  CHECK(o->changed_attributes == std::vector<std::string>{"sn", "title"});
  CHECK_FALSE(o->find("title"));
}

TEST_CASE("a DN change alone is a pending rename that remembers the old DN") {
  std::optional<CsObject> o;
  ImportCounters c;
  apply_record(state("1", "cn=a,ou=x", {{"sn", {"L"}}}), o, c);
  o = synced(o);
  apply_record(state("1", "cn=a,ou=y", {{"sn", {"L"}}}), o, c);
  CHECK(o->pending == PendingChange::rename);
  CHECK(o->previous_dn == "cn=a,ou=x");
  CHECK(c.renames == 1);
  // Moving back where the last sync saw it cancels the rename.
  apply_record(state("1", "cn=a,ou=x", {{"sn", {"L"}}}), o, c);
  CHECK(o->pending == PendingChange::none);
  CHECK(o->previous_dn.empty());
}

TEST_CASE("deletes: pending delete for synced objects, nothing for unsynced adds") {
  ImportCounters c;
  std::optional<CsObject> unsynced;
  apply_record(state("1", "", {{"sn", {"L"}}}), unsynced, c);
  apply_record(idsync::testing::record(IDSYNC_CHANGE_DELETE, "", "1", ""), unsynced, c);
  CHECK_FALSE(unsynced);

  std::optional<CsObject> o;
  apply_record(state("2", "", {{"sn", {"L"}}}), o, c);
  o = synced(o);
  apply_missing(o, c);
  REQUIRE(o);
  CHECK(o->pending == PendingChange::remove);
  // An object back before the sync consumed its delete is an update.
  apply_record(state("2", "", {{"sn", {"M"}}}), o, c);
  CHECK(o->pending == PendingChange::update);
  CHECK(o->changed_attributes == std::vector<std::string>{"sn"});
}

TEST_CASE("update records apply add, remove and replace to the staged values") {
  std::optional<CsObject> o;
  ImportCounters c;
  apply_record(state("g", "cn=g", {{"member", {"a", "b"}}, {"description", {"old"}}}), o, c);
  o = synced(o);
  ImportRecord u = idsync::testing::record(IDSYNC_CHANGE_UPDATE, "", "g", "");
  u.attributes.push_back({"member", IDSYNC_VALUE_REFERENCE, IDSYNC_ATTR_ADD, {"c"}});
  u.attributes.push_back({"member", IDSYNC_VALUE_REFERENCE, IDSYNC_ATTR_REMOVE, {"a"}});
  u.attributes.push_back({"description", IDSYNC_VALUE_STRING, IDSYNC_ATTR_REMOVE, {}});
  apply_record(u, o, c);
  CHECK(o->find("member")->values == std::vector<std::string>{"b", "c"});
  CHECK_FALSE(o->find("description"));
  CHECK(o->dn == "cn=g");
  CHECK(o->pending == PendingChange::update);
  CHECK(o->changed_attributes == std::vector<std::string>{"description", "member"});
}

TEST_CASE("a reference attribute's change is recorded value by value, composed until synced") {
  using idsync::store::ValueChange;
  using V = std::vector<std::string>;
  std::optional<CsObject> o;
  ImportCounters c;
  apply_record(group("g", {"cn=a", "cn=b", "cn=c"}), o, c);
  CHECK(o->value_changes.empty());  // a pending add is synced as a whole
  o = synced(o);

  apply_record(group("g", {"cn=a", "cn=b", "cn=c", "cn=d"}), o, c);
  CHECK(o->pending == PendingChange::update);
  CHECK(o->value_changes == std::vector<ValueChange>{{"member", V{"cn=d"}, V{}}});

  SECTION("a later import composes with it: the change stays the one since the sync") {
    apply_record(group("g", {"cn=b", "cn=c", "cn=d", "cn=e"}), o, c);
    CHECK(o->value_changes == std::vector<ValueChange>{{"member", V{"cn=d", "cn=e"}, V{"cn=a"}}});
    // d added and removed again before a sync: the sync never saw it; a back as it was.
    apply_record(group("g", {"cn=a", "cn=b", "cn=c", "cn=e"}), o, c);
    CHECK(o->value_changes == std::vector<ValueChange>{{"member", V{"cn=e"}, V{}}});
  }
  SECTION("back where the sync saw it: no value change left") {
    apply_record(group("g", {"cn=a", "cn=b", "cn=c"}), o, c);
    CHECK(o->value_changes.empty());
  }
  SECTION("every member gone: those the sync saw are removed") {
    ImportRecord r = group("g", {});
    r.attributes.erase(r.attributes.begin());
    apply_record(r, o, c);
    CHECK(o->value_changes == std::vector<ValueChange>{{"member", V{}, V{"cn=a", "cn=b", "cn=c"}}});
  }
  SECTION("other attributes change as a whole") {
    ImportRecord r = group("g", {"cn=a", "cn=b", "cn=c", "cn=d"});
    r.attributes[1].values = {"new"};
    apply_record(r, o, c);
    CHECK(o->changed_attributes == std::vector<std::string>{"description", "member"});
    CHECK(o->value_changes == std::vector<ValueChange>{{"member", V{"cn=d"}, V{}}});
  }
}
