// Attribute flow across two connectors: precedence, NULL, AuthoritativeNull, IgnoreThisFlow.
#include "support.hpp"

using namespace idsync;
using namespace idsync::testing;

namespace {

// Ann in HR and her badge, both synced.
void ann_in_both(SyncFixture& f, Attrs hr, Attrs badge) {
  f.import(f.hr, {state("person", "h1", hr)});
  f.full("HR");
  f.import(f.badges, {state("badge", "b1", badge)});
  f.full("Badges");
  REQUIRE(f.mv_id(f.badges, "b1") == f.mv_id(f.hr, "h1"));
}

}  // namespace

TEST_CASE("HR's displayName outranks Badges', Badges' mail outranks HR's") {
  SyncFixture f;
  ann_in_both(f, person("E1", "Ann"),
              {{"employeeId", "E1"}, {"displayName", "Badge Ann"}, {"mail", "ann@badges"}});
  auto ann = *f.mv_of(f.hr, "h1");
  CHECK(SyncFixture::value(ann, "displayName") == "Ann");
  CHECK(ann.find("displayName")->provenance.connector_id == f.hr);
  CHECK(SyncFixture::value(ann, "mail") == "ann@badges");
  CHECK(ann.find("mail")->provenance.connector_id == f.badges);
  CHECK(ann.find("mail")->provenance.rule == "Badges mail");
  CHECK(ann.find("mail")->provenance.precedence == 5);

  SECTION("a later HR change does not take mail back") {
    Attrs changed = person("E1", "Ann B");
    changed["mail"] = "new@hr.example";
    f.import(f.hr, {state("person", "h1", changed)});
    f.delta("HR");
    ann = *f.mv_of(f.hr, "h1");
    CHECK(SyncFixture::value(ann, "displayName") == "Ann B");
    CHECK(SyncFixture::value(ann, "mail") == "ann@badges");
  }
}

TEST_CASE("NULL from the winning source lets the next source contribute, and back") {
  SyncFixture f;
  ann_in_both(f, person("E1", "Ann"), {{"employeeId", "E1"}, {"displayName", "Badge Ann"}});
  CHECK(SyncFixture::value(*f.mv_of(f.hr, "h1"), "displayName") == "Ann");

  Attrs no_name = person("E1", "Ann");
  no_name.erase("displayName");
  f.import(f.hr, {state("person", "h1", no_name)});
  auto r = f.delta("HR");
  CHECK(r.flow_updates == 1);
  auto ann = *f.mv_of(f.hr, "h1");
  CHECK(SyncFixture::value(ann, "displayName") == "Badge Ann");
  CHECK(ann.find("displayName")->provenance.connector_id == f.badges);
  CHECK(ann.find("displayName")->provenance.precedence == 20);

  f.import(f.hr, {state("person", "h1", person("E1", "Ann Again"))});
  f.delta("HR");
  ann = *f.mv_of(f.hr, "h1");
  CHECK(SyncFixture::value(ann, "displayName") == "Ann Again");
  CHECK(ann.find("displayName")->provenance.connector_id == f.hr);

  SECTION("with no other source the value goes") {
    f.import(f.badges, {state("badge", "b1", {{"employeeId", "E1"}})});
    f.delta("Badges");
    f.import(f.hr, {state("person", "h1", no_name)});
    f.delta("HR");
    CHECK(SyncFixture::value(*f.mv_of(f.hr, "h1"), "displayName") == "<absent>");
  }
}

TEST_CASE("AuthoritativeNull removes the value even though a lower-precedence source has one") {
  SyncFixture f;
  Attrs secret = person("E1", "Ann", "Secret");
  secret["title"] = "Agent";
  ann_in_both(f, secret, {{"employeeId", "E1"}, {"title", "Badge title"}});
  // HR (10) says AuthoritativeNull for title; Badges (20) has one, and must not set it.
  CHECK(SyncFixture::value(*f.mv_of(f.hr, "h1"), "title") == "<absent>");

  SECTION("when HR's answer becomes NULL, Badges' title flows") {
    Attrs open = person("E1", "Ann", "Sales");
    f.import(f.hr, {state("person", "h1", open)});
    f.delta("HR");
    f.import(f.badges, {state("badge", "b1", {{"employeeId", "E1"}, {"title", "Badge title 2"}})});
    f.delta("Badges");
    CHECK(SyncFixture::value(*f.mv_of(f.hr, "h1"), "title") == "Badge title 2");
  }
  SECTION("a title HR holds is removed by a later AuthoritativeNull") {
    Attrs open = person("E1", "Ann", "Sales");
    open["title"] = "Clerk";
    f.import(f.hr, {state("person", "h1", open)});
    f.delta("HR");
    CHECK(SyncFixture::value(*f.mv_of(f.hr, "h1"), "title") == "Clerk");
    f.import(f.hr, {state("person", "h1", secret)});
    f.delta("HR");
    CHECK(SyncFixture::value(*f.mv_of(f.hr, "h1"), "title") == "<absent>");
  }
}

TEST_CASE("IgnoreThisFlow keeps the value the source supplied earlier") {
  SyncFixture f;
  Attrs ann = person("E1", "Ann");
  ann["location"] = "Copenhagen";
  f.import(f.hr, {state("person", "h1", ann)});
  f.full("HR");
  CHECK(SyncFixture::value(*f.mv_of(f.hr, "h1"), "location") == "Copenhagen");

  ann["location"] = "unknown";
  f.import(f.hr, {state("person", "h1", ann)});
  const auto r = f.delta("HR");
  CHECK(r.objects == 1);
  CHECK(r.flow_updates == 0);
  CHECK(SyncFixture::value(*f.mv_of(f.hr, "h1"), "location") == "Copenhagen");

  // Whereas NULL (no location at all) removes it.
  ann.erase("location");
  f.import(f.hr, {state("person", "h1", ann)});
  f.delta("HR");
  CHECK(SyncFixture::value(*f.mv_of(f.hr, "h1"), "location") == "<absent>");
}
