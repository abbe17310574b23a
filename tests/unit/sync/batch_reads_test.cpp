// A sync batch's reads (batch_reads.hpp, read_ahead.hpp): what read_batch gathers, how the
// overlay answers from them below the batch's own changes, and how reads taken ahead of a
// batch written meanwhile drop exactly what it changed. That whole steps end the same with and
// without reading ahead is outbound_in_batch_test's "batches of 500 leave the store that
// batches of 2 leave".
#include "sync/batch_reads.hpp"

#include <catch2/catch.hpp>
#include <memory>
#include <optional>
#include <thread>

#include "store/batch_writer.hpp"
#include "store/join_index.hpp"
#include "store/links.hpp"
#include "store/metaverse.hpp"
#include "support.hpp"
#include "sync/batch_overlay.hpp"
#include "sync/read_ahead.hpp"
#include "sync/rule_catalog.hpp"

using namespace idsync;
using namespace idsync::testing;

namespace {

store::MvObject mv_person(uint64_t id, const std::string& employee_id) {
  store::MvObject o;
  o.id = id;
  o.object_type = "person";
  store::MvAttribute a;
  a.name = "employeeId";
  a.values = {employee_id};
  o.attributes.push_back(a);
  return o;
}

// HR has projected p1 and p2; Badges has B1 (employee p1), B2 (p9, nobody) and B3 (p2),
// imported and not synced, and B2 and B3 queued.
struct Fixture : SyncFixture {
  Fixture() {
    import(hr,
           {state("person", "p1", person("p1", "Ann")), state("person", "p2", person("p2", "Bo"))});
    REQUIRE(full("HR").projections == 2);
    const Attrs b1{{"employeeId", "p1"}}, b2{{"employeeId", "p9"}}, b3{{"employeeId", "p2"}};
    import(badges, {state("badge", "B1", b1), state("badge", "B2", b2), state("badge", "B3", b3)});
    // Queued as an import after the connector's first sync queues its changes.
    rocksdb::WriteBatch queue;
    store::SyncQueue(store(), badges).add(queue, "B2");
    store::SyncQueue(store(), badges).add(queue, "B3");
    store().write(queue);
    plan.store = &store();
    plan.catalog = &catalog;
    plan.connector_id = badges;
    plan.connector = "Badges";
    plan.kind = sync::SyncKind::full;
    plan.batch_size = 2;
    plan.passes_by = [](std::string_view, const store::CsObject*) { return false; };
    // Outbound flow compares an MV object against its HR object, say.
    plan.target_keys = [this](const store::MvObject&, const std::vector<store::Link>& links,
                              std::vector<std::string>& keys) {
      for (const store::Link& l : links)
        if (l.connector_id == hr) keys.push_back(store::connector_key(hr, l.anchor));
    };
  }

  // The keys a batch writes, as the store's batch writer indexes them.
  store::WrittenKeys written(const rocksdb::WriteBatch& batch) {
    std::vector<int> family_of_cf;
    for (size_t f = 0; f < store::kFamilyCount; ++f) {
      const uint32_t cf = store().family(static_cast<store::Family>(f))->GetID();
      if (cf >= family_of_cf.size()) family_of_cf.resize(cf + 1, -1);
      family_of_cf[cf] = static_cast<int>(f);
    }
    return store::WrittenKeys(batch, family_of_cf, store::kFamilyCount);
  }

  sync::RuleCatalog catalog{rules(), store(), nullptr};
  sync::BatchReadPlan plan;
};

std::string join_prefix(const std::string& value) {
  return store::JoinIndex::value_prefix("person", "employeeId", value);
}

}  // namespace

TEST_CASE("a batch's reads hold its objects, their links, join candidates and targets") {
  Fixture f;
  const uint64_t p1 = *f.mv_id(f.hr, "p1");
  sync::BatchReads first = sync::read_batch(f.plan, std::nullopt);
  CHECK(first.anchors == std::vector<std::string>{"B1", "B2"});
  REQUIRE(first.objects.size() == 2);
  REQUIRE(first.objects[0]);
  CHECK(first.objects[0]->anchor == "B1");
  CHECK_FALSE(first.last);
  CHECK(first.queued == common::StringSet{"B2"});
  CHECK(first.links.at("B1") == std::nullopt);
  CHECK(first.disconnectors.at("B2") == false);
  CHECK(first.joins.at(join_prefix("p1")) == std::vector<uint64_t>{p1});
  CHECK(first.joins.at(join_prefix("p9")).empty());
  REQUIRE(first.mvs.at(p1));
  CHECK(first.mvs.at(p1)->find("displayName")->values == std::vector<std::string>{"Ann"});
  CHECK(first.mv_links.at(p1) == std::vector<store::Link>{{f.hr, "p1"}});
  const sync::TargetRecords& target = first.targets.at(store::connector_key(f.hr, "p1"));
  CHECK(target.cs);
  CHECK_FALSE(target.pending);

  sync::BatchReads second = sync::read_batch(f.plan, std::string("B2"));
  CHECK(second.anchors == std::vector<std::string>{"B3"});
  CHECK(second.last);

  // Objects sync passes by cost no reads beyond their records.
  f.plan.passes_by = [](std::string_view anchor, const store::CsObject*) { return anchor == "B1"; };
  sync::BatchReads passed = sync::read_batch(f.plan, std::nullopt);
  CHECK(passed.anchors.size() == 2);
  CHECK_FALSE(passed.links.count("B1"));
  CHECK(passed.links.count("B2"));
  CHECK_FALSE(passed.joins.count(join_prefix("p1")));

  // A Delta Sync's batch is the queue's next anchors with their records.
  f.plan.kind = sync::SyncKind::delta;
  f.plan.passes_by = [](std::string_view, const store::CsObject*) { return false; };
  sync::BatchReads delta = sync::read_batch(f.plan, std::string("B1"));
  REQUIRE(delta.anchors == std::vector<std::string>{"B2", "B3"});
  REQUIRE(delta.objects[1]);
  CHECK(delta.objects[1]->anchor == "B3");
}

TEST_CASE("adopted reads answer as the store does, below the batch's own changes") {
  Fixture f;
  const uint64_t p1 = *f.mv_id(f.hr, "p1");
  sync::BatchReads reads = sync::read_batch(f.plan, std::nullopt);
  const std::vector<std::string> join_attributes{"employeeId"};
  sync::BatchOverlay overlay(f.store(), join_attributes);
  overlay.adopt(f.badges, reads);

  // MV p1, its index entry and its HR link go from the store behind the overlay's back: the
  // overlay answers from the batch's reads (a read now would find nothing).
  rocksdb::WriteBatch gone;
  const store::MvObject stored = *store::MetaverseStore(f.store()).get(p1);
  store::MetaverseStore(f.store()).remove(gone, p1);
  store::JoinIndex(f.store()).remove_object(gone, stored, join_attributes);
  store::Links(f.store()).unlink(gone, f.hr, "p1");
  store::Links(f.store()).link(gone, f.badges, "B2", p1);
  f.store().write(gone);
  CHECK(overlay.find("person", "employeeId", "p1", true) == std::vector<uint64_t>{p1});
  CHECK(overlay.find("person", "employeeId", "P1", true).empty());  // exact case is checked
  CHECK(overlay.find("person", "employeeId", "P1", false) == std::vector<uint64_t>{p1});
  CHECK(overlay.anchor_of(p1, f.hr) == std::optional<std::string>("p1"));
  CHECK_FALSE(overlay.mv_of(f.badges, "B2"));  // read unlinked
  REQUIRE(overlay.mv(p1));

  // The batch's own changes come first.
  overlay.link(f.badges, "B1", p1);
  CHECK(overlay.mv_of(f.badges, "B1") == std::optional<uint64_t>(p1));
  overlay.put_mv(mv_person(p1, "p7"), {"employeeId"}, false);
  CHECK(overlay.find("person", "employeeId", "p1", true).empty());
  CHECK(overlay.find("person", "employeeId", "p7", true) == std::vector<uint64_t>{p1});
  // Another connector's anchor of the same name was not read for Badges.
  CHECK(overlay.mv_of(f.hr, "B2") == std::nullopt);

  // After the flush, the next batch reads the store again.
  rocksdb::WriteBatch flushed;
  overlay.flush(flushed);
  CHECK(overlay.mv_of(f.badges, "B2") == std::optional<uint64_t>(p1));
  CHECK_FALSE(overlay.anchor_of(p1, f.hr));
}

TEST_CASE("reads drop what a batch written meanwhile changed") {
  Fixture f;
  const uint64_t p1 = *f.mv_id(f.hr, "p1");
  const uint64_t p2 = *f.mv_id(f.hr, "p2");
  f.plan.batch_size = 4;  // the three objects, and nothing follows
  auto reads = [&] { return sync::read_batch(f.plan, std::nullopt); };

  // Keys of other connectors, objects and values leave everything in place.
  {
    sync::BatchReads r = reads();
    rocksdb::WriteBatch b;
    store::Links(f.store()).link_unlinked(b, f.hr, "B1", 99);  // HR's B1, not Badges'
    b.Put(f.store().family(store::Family::mv), store::mv_key(99), "x");
    store::JoinIndex(f.store()).add(b, "person", "employeeId", "p5", 99);
    CHECK(sync::drop_written(r, f.written(b), f.badges));
    CHECK(r.links.size() == 3);
    CHECK(r.mvs.count(p1));
    CHECK(r.mv_links.count(p1));
    CHECK(r.joins.size() == 3);
    CHECK(r.targets.size() == 2);
  }
  // What the batch wrote goes: a link of one of the batch's anchors, an MV object, the links
  // of another, a join value, a target's pending export.
  {
    sync::BatchReads r = reads();
    rocksdb::WriteBatch b;
    store::Links(f.store()).link_unlinked(b, f.badges, "B2", 77);
    b.Put(f.store().family(store::Family::mv), store::mv_key(p1), "x");
    b.Delete(f.store().family(store::Family::link_mv), store::Links::link_mv_key(p2, f.hr));
    store::JoinIndex(f.store()).add(b, "person", "employeeId", "p9", 77);
    b.Put(f.store().family(store::Family::pending_export), store::connector_key(f.hr, "p2"), "x");
    CHECK(sync::drop_written(r, f.written(b), f.badges));
    CHECK_FALSE(r.links.count("B2"));
    CHECK(r.links.count("B1"));
    CHECK_FALSE(r.mvs.count(p1));
    CHECK_FALSE(r.mvs.count(77));  // never read: still not there
    CHECK(r.mvs.count(p2));
    CHECK_FALSE(r.mv_links.count(p2));
    CHECK(r.mv_links.count(p1));
    CHECK_FALSE(r.joins.count(join_prefix("p9")));
    CHECK(r.joins.count(join_prefix("p1")));
    CHECK_FALSE(r.targets.count(store::connector_key(f.hr, "p2")));
    CHECK(r.targets.count(store::connector_key(f.hr, "p1")));
  }
  // A record or queue entry written in the batch's own range: the batch itself may differ.
  for (store::Family family : {store::Family::cs, store::Family::sync_queue}) {
    sync::BatchReads r = reads();
    REQUIRE(r.last);  // the batch runs to the connector's end
    rocksdb::WriteBatch b;
    b.Put(f.store().family(family), store::connector_key(f.badges, "Z"), "");
    CHECK_FALSE(sync::drop_written(r, f.written(b), f.badges));
  }
  // Before its first anchor, or past its last when more follow, is not its range.
  {
    f.plan.batch_size = 1;
    sync::BatchReads r = sync::read_batch(f.plan, std::string("B1"));
    REQUIRE(r.anchors == std::vector<std::string>{"B2"});
    rocksdb::WriteBatch b;
    b.Put(f.store().family(store::Family::cs), store::connector_key(f.badges, "B1"), "");
    b.Put(f.store().family(store::Family::cs), store::connector_key(f.badges, "B3"), "");
    b.Put(f.store().family(store::Family::sync_queue), store::connector_key(f.hr, "B2"), "");
    CHECK(sync::drop_written(r, f.written(b), f.badges));
    rocksdb::WriteBatch inside;
    inside.Delete(f.store().family(store::Family::cs), store::connector_key(f.badges, "B2"));
    CHECK_FALSE(sync::drop_written(r, f.written(inside), f.badges));
  }
}

TEST_CASE("reads taken ahead are checked against the batch written since they began") {
  Fixture f;
  const uint64_t p2 = *f.mv_id(f.hr, "p2");
  f.plan.batch_size = 1;
  {
    // Read B2 ahead while a batch that links it is written, and then one that makes it a
    // disconnector: both its link and its mark are dropped (read after the writes, from the
    // store), the rest is kept.
    sync::ReadAhead ahead(f.plan);
    ahead.start("B1");
    rocksdb::WriteBatch linked, disconnected;
    store::Links(f.store()).link_unlinked(linked, f.badges, "B2", p2);
    f.store().write_behind(std::move(linked));
    disconnected.Put(f.store().family(store::Family::cs_disconnector),
                     store::connector_key(f.badges, "B2"), "");
    f.store().write_behind(std::move(disconnected));
    std::optional<sync::BatchReads> r = ahead.take();
    REQUIRE(r);
    CHECK(r->anchors == std::vector<std::string>{"B2"});
    CHECK_FALSE(r->links.count("B2"));
    CHECK_FALSE(r->disconnectors.count("B2"));
    REQUIRE(r->objects[0]);
    CHECK(r->objects[0]->anchor == "B2");
    f.store().wait_for_writes();
  }
  {
    // Nothing written since: the reads are current.
    sync::ReadAhead ahead(f.plan);
    ahead.start("B2");
    std::optional<sync::BatchReads> r = ahead.take();
    REQUIRE(r);
    CHECK(r->anchors == std::vector<std::string>{"B3"});
    CHECK(r->links.at("B3") == std::nullopt);
  }
  {
    // Three batches written since: what the first changed is no longer known (the store keeps
    // the keys of the batch in flight and of the one before).
    sync::ReadAhead ahead(f.plan);
    ahead.start("B1");
    for (int i = 0; i < 3; ++i) {
      rocksdb::WriteBatch b;
      b.Put(f.store().family(store::Family::meta), "x" + std::to_string(i), "");
      f.store().write_behind(std::move(b));
    }
    CHECK_FALSE(ahead.take());
    f.store().wait_for_writes();
  }
  {
    // The batch's own range written meanwhile: the step reads it again.
    sync::ReadAhead ahead(f.plan);
    ahead.start("B1");
    rocksdb::WriteBatch b;
    b.Delete(f.store().family(store::Family::cs), store::connector_key(f.badges, "B2"));
    f.store().write_behind(std::move(b));
    CHECK_FALSE(ahead.take());
    f.store().wait_for_writes();
  }
  {
    // A batch written with Store::write(): its keys are not kept.
    sync::ReadAhead ahead(f.plan);
    ahead.start("B1");
    rocksdb::WriteBatch b;
    b.Put(f.store().family(store::Family::meta), "y", "");
    f.store().write(b);
    CHECK_FALSE(ahead.take());
  }
  // Not started: nothing to take.
  sync::ReadAhead idle(f.plan);
  CHECK_FALSE(idle.take());
}

TEST_CASE("what the step discards is freed on the reader thread, before its next reads") {
  Fixture f;
  f.plan.batch_size = 1;
  // A record that notes the thread it is freed on.
  std::optional<std::thread::id> freed_on;
  auto record = [&] {
    return std::shared_ptr<void>(new int(0), [&](void* p) {
      delete static_cast<int*>(p);
      freed_on = std::this_thread::get_id();
    });
  };
  sync::ReadAhead ahead(f.plan);
  // Nothing under way: no reads may follow, so it goes at once, here.
  ahead.discard(record());
  REQUIRE(freed_on);
  CHECK(*freed_on == std::this_thread::get_id());

  freed_on.reset();
  ahead.start("B1");
  ahead.discard(record());
  REQUIRE(ahead.take());
  CHECK_FALSE(freed_on);  // kept for the reader, which frees it when its next reads begin
  ahead.start("B2");
  REQUIRE(ahead.take());
  REQUIRE(freed_on);
  CHECK(*freed_on != std::this_thread::get_id());
}
