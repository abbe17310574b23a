// Disconnecting: an object leaving scope or deleted at its source, and the deprovisioning
// choice for the MV object.
#include "store/join_index.hpp"
#include "support.hpp"

using namespace idsync;
using namespace idsync::testing;

namespace {

// Ann in HR and in Badges (which supplies mail and a fallback displayName); Bob in HR only.
void setup(SyncFixture& f) {
  f.import(f.hr, {state("person", "h1", person("E1", "Ann")),
                  state("person", "h2", person("E2", "Bob"))});
  f.full("HR");
  f.import(f.badges,
           {state("badge", "b1",
                  {{"employeeId", "E1"}, {"displayName", "Badge Ann"}, {"mail", "ann@badges"}})});
  f.full("Badges");
  REQUIRE(f.mv_id(f.badges, "b1") == f.mv_id(f.hr, "h1"));
}

Attrs terminated(Attrs a) {
  a["status"] = "terminated";
  return a;
}

}  // namespace

TEST_CASE("leaving scope disconnects, and the MV object stays with the other sources' values") {
  SyncFixture f;
  setup(f);
  const uint64_t ann = *f.mv_id(f.hr, "h1");
  f.import(f.hr, {state("person", "h1", terminated(person("E1", "Ann")))});
  const auto r = f.delta("HR");
  CHECK(r.disconnectors == 1);
  CHECK(r.mv_deletes == 0);
  CHECK_FALSE(f.mv_id(f.hr, "h1"));
  CHECK(store::Links(f.store()).anchor_of(ann, f.hr) == std::nullopt);
  auto o = store::MetaverseStore(f.store()).get(ann);
  REQUIRE(o);
  CHECK_FALSE(o->deleted);
  // HR's values are recalled: displayName falls back to Badges, mail was Badges' anyway,
  // employeeId and company had no other source.
  CHECK(SyncFixture::value(*o, "displayName") == "Badge Ann");
  CHECK(SyncFixture::value(*o, "mail") == "ann@badges");
  CHECK(SyncFixture::value(*o, "employeeId") == "<absent>");
  CHECK(SyncFixture::value(*o, "company") == "<absent>");
  CHECK(f.mv_id(f.badges, "b1") == ann);
  // Bob was not queued, so not touched.
  CHECK(r.objects == 1);
  CHECK(f.cs(f.hr, "h1")->pending == store::PendingChange::none);
}

TEST_CASE("with delete_mv_when_last_authoritative_source_goes the MV object is tombstoned") {
  SyncFixture f;
  setup(f);
  const uint64_t ann = *f.mv_id(f.hr, "h1");
  f.import(f.hr, {state("person", "h1", terminated(person("E1", "Ann")))});
  sync::InboundOptions options;
  options.deprovisioning = sync::Deprovisioning::delete_mv_when_last_authoritative_source_goes;
  const auto r = f.delta("HR", options);
  CHECK(r.disconnectors == 1);
  CHECK(r.mv_deletes == 1);
  auto o = store::MetaverseStore(f.store()).get(ann);
  REQUIRE(o);
  CHECK(o->deleted);  // Badges is linked, but has no Provision rule: not authoritative
  CHECK(store::JoinIndex(f.store()).find("person", "employeeId", "E1", false).empty());
  CHECK_FALSE(f.mv_id(f.hr, "h1"));

  SECTION("the badge linked to the tombstone is released at its next sync") {
    f.import(f.badges, {state("badge", "b1", {{"employeeId", "E1"}, {"mail", "new@badges"}})});
    const auto b = f.delta("Badges");
    CHECK(b.disconnectors == 1);
    CHECK_FALSE(f.mv_id(f.badges, "b1"));
  }
}

TEST_CASE("a pending delete disconnects and erases the CS object") {
  SyncFixture f;
  setup(f);
  const uint64_t ann = *f.mv_id(f.hr, "h1");
  f.import(f.badges, {deleted("badge", "b1")});
  REQUIRE(f.cs(f.badges, "b1")->pending == store::PendingChange::remove);
  const auto r = f.delta("Badges");
  CHECK(r.disconnectors == 1);
  CHECK_FALSE(f.mv_id(f.badges, "b1"));
  CHECK_FALSE(f.cs(f.badges, "b1"));
  CHECK_FALSE(store::ConnectorSpace(f.store(), f.badges).anchor_by_dn("cn=b1"));
  CHECK(f.queued(f.badges).empty());
  // Badges' mail is recalled; HR's mail is the next best.
  auto o = *store::MetaverseStore(f.store()).get(ann);
  CHECK(SyncFixture::value(o, "mail") == "e1@hr.example");
  CHECK(o.find("mail")->provenance.connector_id == f.hr);
  CHECK(SyncFixture::value(o, "displayName") == "Ann");
}
