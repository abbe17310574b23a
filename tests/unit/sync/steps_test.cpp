// The step: Delta Sync reads only the queue, pending changes are consumed, and an interrupted
// Full Sync resumed gives the metaverse of an uninterrupted one.
#include "store/codec.hpp"
#include "store/connector_space.hpp"
#include "store/import_progress.hpp"
#include "support.hpp"

using namespace idsync;
using namespace idsync::testing;

TEST_CASE("a Delta Sync of a never-synced connector runs as a Full Sync") {
  SyncFixture f;
  f.import(f.hr, {state("person", "h1", person("E1", "Ann"))});
  CHECK(f.queued(f.hr).empty());  // nothing is queued before the first sync
  const auto r = f.delta("HR");
  CHECK(r.kind == sync::SyncKind::full);
  CHECK(r.projections == 1);
  CHECK(store::ProgressRecords(f.store(), f.hr).synced_once());
}

TEST_CASE("a Delta Sync touches only the queued objects") {
  SyncFixture f;
  f.import(f.hr,
           {state("person", "h1", person("E1", "Ann")), state("person", "h2", person("E2", "Bob")),
            state("person", "h3", person("E3", "Cid"))});
  f.full("HR");
  // A rule change is invisible to objects a Delta Sync does not read.
  f.set_rules(rules_json("Fabrikam"));
  f.import(f.hr, {state("person", "h2", person("E2", "Bob B"))});
  CHECK(f.queued(f.hr) == std::vector<std::string>{"h2"});
  const auto r = f.delta("HR");
  CHECK(r.kind == sync::SyncKind::delta);
  CHECK(r.objects == 1);
  CHECK(r.flow_updates == 2);  // displayName, company
  CHECK(SyncFixture::value(*f.mv_of(f.hr, "h1"), "company") == "Contoso");
  CHECK(SyncFixture::value(*f.mv_of(f.hr, "h2"), "company") == "Fabrikam");
  CHECK(SyncFixture::value(*f.mv_of(f.hr, "h2"), "displayName") == "Bob B");
  CHECK(SyncFixture::value(*f.mv_of(f.hr, "h3"), "company") == "Contoso");
  CHECK(f.queued(f.hr).empty());

  // A Full Sync reads everything.
  const auto full = f.full("HR");
  CHECK(full.objects == 3);
  CHECK(full.flow_updates == 2);
  CHECK(SyncFixture::value(*f.mv_of(f.hr, "h3"), "company") == "Fabrikam");
}

TEST_CASE("sync consumes pending changes: adds, updates and renames become none") {
  SyncFixture f;
  f.import(f.hr, {state("person", "h1", person("E1", "Ann")),
                  state("person", "h2", person("E2", "Bob"))});
  f.full("HR");
  auto renamed = state("person", "h1", person("E1", "Ann"));
  renamed.dn = "cn=ann,ou=moved";
  f.import(f.hr, {std::move(renamed), state("person", "h2", person("E2", "Bob B"))});
  REQUIRE(f.cs(f.hr, "h1")->pending == store::PendingChange::rename);
  REQUIRE(f.cs(f.hr, "h2")->pending == store::PendingChange::update);
  f.delta("HR");
  for (const char* anchor : {"h1", "h2"}) {
    auto o = f.cs(f.hr, anchor);
    REQUIRE(o);
    CHECK(o->pending == store::PendingChange::none);
    CHECK(o->changed_attributes.empty());
    CHECK(o->previous_dn.empty());
  }
  CHECK(f.cs(f.hr, "h1")->dn == "cn=ann,ou=moved");
  CHECK(f.queued(f.hr).empty());
}

namespace {

struct Snapshot {
  std::vector<store::MvObject> mv;
  std::vector<std::pair<std::string, uint64_t>> links;
  bool operator==(const Snapshot&) const = default;
};

Snapshot snapshot(SyncFixture& f) {
  Snapshot s{f.metaverse(), {}};
  for (uint32_t c : {f.hr, f.badges})
    store::ConnectorSpace(f.store(), c).for_each([&](const store::CsObject& o) {
      auto id = f.mv_id(c, o.anchor);
      s.links.emplace_back(std::to_string(c) + "/" + o.anchor, id.value_or(0));
      return true;
    });
  return s;
}

// Seven HR persons (two share an employeeId, so the badge of E3 has an ambiguous join) and
// four badges.
void populate(SyncFixture& f) {
  std::vector<importer::ImportRecord> hr;
  for (int i = 1; i <= 7; ++i)
    hr.push_back(state("person", "h" + std::to_string(i),
                       person(i == 7 ? "E3" : "E" + std::to_string(i), "P" + std::to_string(i))));
  f.import(f.hr, std::move(hr));
  std::vector<importer::ImportRecord> badges;
  for (int i = 1; i <= 4; ++i)
    badges.push_back(state(
        "badge", "b" + std::to_string(i),
        {{"employeeId", "e" + std::to_string(i)}, {"mail", "b" + std::to_string(i) + "@badges"}}));
  f.import(f.badges, std::move(badges));
}

}  // namespace

TEST_CASE("an interrupted Full Sync, rerun, equals an uninterrupted one") {
  SyncFixture reference;
  populate(reference);
  const auto ref_hr = reference.full("HR");
  const auto ref_badges = reference.full("Badges");
  CHECK(ref_hr.projections == 7);
  CHECK(ref_badges.joins == 3);
  CHECK(ref_badges.join_errors == 1);

  SyncFixture crashed;
  populate(crashed);
  sync::InboundOptions small;
  small.batch_size = 2;
  small.stop_after_batches = 2;
  auto first = crashed.full("HR", small);
  CHECK_FALSE(first.completed);
  CHECK(first.projections == 4);
  CHECK_FALSE(store::ProgressRecords(crashed.store(), crashed.hr).synced_once());
  // A Delta Sync asked now resumes the interrupted Full Sync.
  small.stop_after_batches.reset();
  auto rest = crashed.delta("HR", small);
  CHECK(rest.completed);
  CHECK(rest.kind == sync::SyncKind::full);
  CHECK(rest.objects == 7);  // counters carry over from the interrupted run
  CHECK(rest.projections == 7);
  CHECK(store::ProgressRecords(crashed.store(), crashed.hr).synced_once());

  small.stop_after_batches = 1;
  CHECK_FALSE(crashed.full("Badges", small).completed);
  small.stop_after_batches.reset();
  auto badges = crashed.full("Badges", small);
  CHECK(badges.completed);
  CHECK(badges.joins == 3);
  CHECK(badges.join_errors == 1);

  CHECK(snapshot(crashed) == snapshot(reference));
  CHECK(crashed.metaverse().size() == 7);
}

TEST_CASE("a first Full Sync leaves a first import's records as they are") {
  SyncFixture f;
  populate(f);
  auto raw = [&](uint32_t c) {
    const store::ConnectorSpace cs(f.store(), c);
    std::vector<std::pair<std::string, std::string>> out;
    cs.for_each([&](const store::CsObject& o) {
      out.emplace_back(o.anchor, *f.store().get(store::Family::cs, cs.object_key(o.anchor)));
      return true;
    });
    return out;
  };
  const auto before = raw(f.hr);
  REQUIRE(before.size() == 7);
  for (const auto& [anchor, value] : before) CHECK(store::parse_cs_header(value).first_import);
  const auto r = f.full("HR");
  CHECK(r.projections == 7);
  CHECK(raw(f.hr) == before);  // not one record rewritten
  CHECK(store::ProgressRecords(f.store(), f.hr).synced_once());
  // Synced: a pending change no more.
  for (const auto& [anchor, value] : before) {
    CHECK(store::effective_pending(*f.cs(f.hr, anchor), true) == store::PendingChange::none);
    CHECK(f.mv_id(f.hr, anchor));
  }
  // The badge of E3 has an ambiguous join: it keeps its add, in its record, for the retry.
  f.full("Badges");
  const auto b3 = f.cs(f.badges, "b3");
  CHECK_FALSE(b3->first_import);
  CHECK(b3->pending == store::PendingChange::add);
  CHECK(f.queued(f.badges) == std::vector<std::string>{"b3"});
  CHECK(f.cs(f.badges, "b1")->first_import);
}

TEST_CASE("a first import's object deleted after an interrupted first Full Sync linked it") {
  SyncFixture f;
  populate(f);
  sync::InboundOptions small;
  small.batch_size = 2;
  small.stop_after_batches = 2;
  REQUIRE_FALSE(f.full("HR", small).completed);
  REQUIRE(f.mv_id(f.hr, "h1"));  // projected, its record still a first import's
  REQUIRE(f.cs(f.hr, "h1")->first_import);
  importer::ImportRecord gone = state("person", "h1", {});
  gone.change = IDSYNC_CHANGE_DELETE;
  f.import(f.hr, {std::move(gone)});
  // Staged as a delete, not withdrawn: the link must not outlive the object.
  REQUIRE(f.cs(f.hr, "h1"));
  CHECK(f.cs(f.hr, "h1")->pending == store::PendingChange::remove);
  small.stop_after_batches.reset();
  const auto rest = f.full("HR", small);
  CHECK(rest.completed);
  // The resumed sync starts after h1 (h2's batch was the last committed), so the next Full
  // Sync is the one that consumes the delete.
  f.full("HR");
  CHECK_FALSE(f.cs(f.hr, "h1"));
  CHECK_FALSE(f.mv_id(f.hr, "h1"));
}

TEST_CASE("a Full Sync consumes the queue entries of the objects it passes, in every batch") {
  SyncFixture f;
  f.import(
      f.hr,
      {state("person", "h1", person("E1", "Ann")), state("person", "h2", person("E2", "Bob")),
       state("person", "h3", person("E3", "Cid")), state("person", "h4", person("E4", "Dee"))});
  f.full("HR");
  f.import(f.hr, {state("person", "h1", person("E1", "Ann A")),
                  state("person", "h3", person("E3", "Cid C")),
                  state("person", "h4", person("E4", "Dee D"))});
  REQUIRE(f.queued(f.hr) == std::vector<std::string>{"h1", "h3", "h4"});
  // Batches of two: the queued entries fall in the first batch's range and the second's.
  sync::InboundOptions options;
  options.batch_size = 2;
  const auto full = f.full("HR", options);
  CHECK(full.objects == 4);
  CHECK(f.queued(f.hr).empty());
  CHECK(SyncFixture::value(*f.mv_of(f.hr, "h4"), "displayName") == "Dee D");
}
