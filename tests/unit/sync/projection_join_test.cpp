// Projection of an authoritative source's objects, joins of a second source, join errors.
#include "store/dirty_attributes.hpp"
#include "store/import_progress.hpp"
#include "store/join_index.hpp"
#include "support.hpp"

using namespace idsync;
using namespace idsync::testing;

TEST_CASE("a Full Sync projects HR persons with their attributes and provenance") {
  SyncFixture f;
  f.import(f.hr, {state("person", "h1", person("E1", "Ann")),
                  state("person", "h2", person("E2", "Bob"))});
  const auto r = f.full("HR");
  CHECK(r.completed);
  CHECK(r.kind == sync::SyncKind::full);
  CHECK(r.objects == 2);
  CHECK(r.projections == 2);
  CHECK(r.joins == 0);
  CHECK(r.errors == 0);
  // employeeId, displayName, mail, department, company, title (absent: NULL), location
  // (absent), badgeNumber (absent): five attributes each.
  CHECK(r.flow_updates == 10);

  auto ann = f.mv_of(f.hr, "h1");
  REQUIRE(ann);
  CHECK(ann->object_type == "person");
  CHECK(SyncFixture::value(*ann, "displayName") == "Ann");
  CHECK(SyncFixture::value(*ann, "employeeId") == "E1");
  CHECK(SyncFixture::value(*ann, "company") == "Contoso");
  CHECK(SyncFixture::value(*ann, "title") == "<absent>");
  const store::Provenance& p = ann->find("displayName")->provenance;
  CHECK(p.connector_id == f.hr);
  CHECK(p.rule == "HR persons");
  CHECK(p.precedence == 10);
  CHECK(p.when_unix_ms == 1'700'000'000'000);
  CHECK(f.mv_of(f.hr, "h2")->id != ann->id);
  CHECK(f.metaverse().size() == 2);

  // The join index covers employeeId (a join rule names it), the dirty marks the projection.
  CHECK(store::JoinIndex(f.store()).find("person", "employeeId", "e1", false) ==
        std::vector<uint64_t>{ann->id});
  auto dirty = store::DirtyAttributes(f.store()).get(ann->id);
  REQUIRE(dirty);
  CHECK(dirty->object);
  CHECK(dirty->names.size() == 5);

  // The staged changes are consumed, the connector is marked synced.
  CHECK(f.cs(f.hr, "h1")->pending == store::PendingChange::none);
  CHECK(f.cs(f.hr, "h2")->pending == store::PendingChange::none);
  CHECK(store::ProgressRecords(f.store(), f.hr).synced_once());

  SECTION("a second Full Sync changes nothing") {
    const auto again = f.full("HR");
    CHECK(again.projections == 0);
    CHECK(again.flow_updates == 0);
    CHECK(f.metaverse().size() == 2);
  }
}

TEST_CASE("Badges join HR persons on employeeId ignoring case, and never project") {
  SyncFixture f;
  f.import(f.hr, {state("person", "h1", person("E1", "Ann")),
                  state("person", "h2", person("E2", "Bob"))});
  f.full("HR");
  f.import(f.badges, {state("badge", "b1", {{"employeeId", "e1"}, {"mail", "ann@badges"}}),
                      state("badge", "b2", {{"employeeId", "E2"}}),
                      state("badge", "b9", {{"employeeId", "E9"}, {"mail", "x@badges"}})});
  const auto r = f.full("Badges");
  CHECK(r.completed);
  CHECK(r.joins == 2);
  CHECK(r.projections == 0);
  CHECK(r.join_errors == 0);
  CHECK(f.mv_id(f.badges, "b1") == f.mv_id(f.hr, "h1"));
  CHECK(f.mv_id(f.badges, "b2") == f.mv_id(f.hr, "h2"));
  CHECK_FALSE(f.mv_id(f.badges, "b9"));
  CHECK(f.metaverse().size() == 2);
  CHECK(f.cs(f.badges, "b9")->pending == store::PendingChange::none);
}

TEST_CASE("an ambiguous join is a join error and leaves the object unlinked and queued") {
  SyncFixture f;
  f.import(f.hr, {state("person", "h1", person("E1", "Ann")),
                  state("person", "h2", person("e1", "Ann Two"))});
  f.full("HR");
  f.import(f.badges, {state("badge", "b1", {{"employeeId", "E1"}})});
  const auto r = f.full("Badges");
  CHECK(r.join_errors == 1);
  CHECK(r.joins == 0);
  REQUIRE(r.join_error_list.size() == 1);
  CHECK(r.join_error_list[0].anchor == "b1");
  CHECK_THAT(r.join_error_list[0].message, Catch::Contains("ambiguous"));
  CHECK_FALSE(f.mv_id(f.badges, "b1"));
  CHECK(f.cs(f.badges, "b1")->pending == store::PendingChange::add);
  CHECK(f.queued(f.badges) == std::vector<std::string>{"b1"});
}

TEST_CASE("an expression error skips the object, lists it and keeps it queued") {
  SyncFixture f;
  Attrs bad = person("E1", "Ann");
  bad["badgeNo"] = "abc";
  Attrs good = person("E2", "Bob");
  good["badgeNo"] = "42";
  f.import(f.hr, {state("person", "h1", bad), state("person", "h2", good)});
  const auto r = f.full("HR");
  CHECK(r.completed);
  CHECK(r.errors == 1);
  REQUIRE(r.error_list.size() == 1);
  CHECK(r.error_list[0].anchor == "h1");
  CHECK_THAT(r.error_list[0].message, Catch::Contains("CNum"));
  CHECK(r.projections == 1);
  CHECK_FALSE(f.mv_id(f.hr, "h1"));
  CHECK(SyncFixture::value(*f.mv_of(f.hr, "h2"), "badgeNumber") == "42");
  CHECK(f.queued(f.hr) == std::vector<std::string>{"h1"});

  // Fixed at the source, the next Delta Sync takes it.
  bad["badgeNo"] = "7";
  f.import(f.hr, {state("person", "h1", bad)});
  const auto d = f.delta("HR");
  CHECK(d.kind == sync::SyncKind::delta);
  CHECK(d.errors == 0);
  CHECK(d.projections == 1);
  CHECK(SyncFixture::value(*f.mv_of(f.hr, "h1"), "badgeNumber") == "7");
  CHECK(f.queued(f.hr).empty());
}

TEST_CASE("an object projected earlier in a batch is seen by the joins of later ones") {
  // HR both joins and projects: the second record of one person must not project a duplicate,
  // whether or not the first one's batch has been committed.
  const std::string rules = R"J({"rules": [
    {"name": "HR persons", "direction": "inbound", "connector": "HR",
     "cs_object_type": "person", "mv_object_type": "person", "link_type": "Provision",
     "precedence": 10,
     "join": [[{"cs_attribute": "employeeId", "mv_attribute": "employeeId"}]],
     "transformations": [{"flow": "direct", "target": "employeeId", "source": "employeeId"}]}
  ]})J";
  for (size_t batch_size : {size_t{1}, size_t{1000}}) {
    SyncFixture f;
    f.set_rules(rules);
    f.import(f.hr, {state("person", "h1", {{"employeeId", "E1"}}),
                    state("person", "h2", {{"employeeId", "e1"}})});
    sync::InboundOptions options;
    options.batch_size = batch_size;
    const auto r = f.full("HR", options);
    CHECK(r.projections == 1);
    CHECK(r.join_errors == 1);  // h2 finds E1's MV object, already joined to h1
    REQUIRE(r.join_error_list.size() == 1);
    CHECK(r.join_error_list[0].anchor == "h2");
    CHECK_THAT(r.join_error_list[0].message, Catch::Contains("already joined"));
    CHECK(f.metaverse().size() == 1);
  }
}
