// The importer queues a CS object for sync exactly when it writes or deletes its record, in
// the page's own batch: new, changed, renamed and deleted objects are queued; unchanged ones
// are not (a nightly full import of an unchanged source must leave Delta Sync nothing to do).
#include <rocksdb/write_batch.h>

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "importer/page_stager.hpp"
#include "store/codec.hpp"
#include "store/sync_queue.hpp"
#include "support/temp_dir.hpp"

using namespace idsync;
using idsync::testing::TempDir;

namespace {

importer::ImportRecord rec(idsync_change change, const std::string& anchor,
                           const std::string& value, const std::string& dn = "") {
  importer::ImportRecord r;
  r.change = change;
  r.object_type = "person";
  r.anchor = anchor;
  r.dn = dn.empty() ? "cn=" + anchor : dn;
  if (change != IDSYNC_CHANGE_DELETE)
    r.attributes.push_back({"v", IDSYNC_VALUE_STRING, IDSYNC_ATTR_REPLACE, {value}});
  return r;
}

// Runs one import of `pages` through the stager, as run_import does.
void import(store::Store& st, uint32_t id, store::ImportKind kind,
            std::vector<std::vector<importer::ImportRecord>> pages) {
  store::ProgressRecords progress(st, id);
  store::ImportProgress p;
  p.kind = kind;
  if (kind == store::ImportKind::full) p.generation = progress.last_generation() + 1;
  importer::PageStager stager(st, id, p);
  for (size_t i = 0; i < pages.size(); ++i) {
    for (auto& r : pages[i]) stager.add(std::move(r));
    stager.commit_page(std::to_string(i + 1));
  }
  stager.finish(true, "wm");
}

std::vector<std::string> queued(store::Store& st, uint32_t id) {
  std::vector<std::string> out;
  store::SyncQueue(st, id).for_each([&](std::string_view a) {
    out.emplace_back(a);
    return true;
  });
  return out;
}

// What a sync does to the connector space here: takes every pending change and empties the
// queue. So the next import starts from "everything synced".
void settle(store::Store& st, uint32_t id) {
  rocksdb::WriteBatch batch;
  const store::ConnectorSpace cs(st, id);
  cs.for_each([&](const store::CsObject& o) {
    store::CsObject synced = o;
    synced.pending = store::PendingChange::none;
    synced.first_import = false;
    synced.changed_attributes.clear();
    synced.previous_dn.clear();
    std::string v;
    store::encode_cs_object(synced, v);
    if (o.pending == store::PendingChange::remove)
      batch.Delete(st.family(store::Family::cs), cs.object_key(o.anchor));
    else
      batch.Put(st.family(store::Family::cs), cs.object_key(o.anchor), v);
    return true;
  });
  for (const auto& a : queued(st, id)) store::SyncQueue(st, id).remove(batch, a);
  store::ProgressRecords(st, id).put_synced_once(batch);
  st.write(batch);
}

// A connector whose Full Sync has completed once (with nothing in it yet).
uint32_t synced_connector(store::Store& st, const std::string& name) {
  const uint32_t id = st.connector_id(name);
  rocksdb::WriteBatch batch;
  store::ProgressRecords(st, id).put_synced_once(batch);
  st.write(batch);
  return id;
}

}  // namespace

TEST_CASE("a connector never synced queues nothing: its first sync is a full sync") {
  TempDir dir;
  auto st = store::Store::open(dir / "db");
  const uint32_t id = st->connector_id("HR");
  import(*st, id, store::ImportKind::full,
         {{ rec(IDSYNC_CHANGE_STATE, "a", "1"),
            rec(IDSYNC_CHANGE_STATE, "b", "1") }});
  CHECK(queued(*st, id).empty());
  CHECK(store::ConnectorSpace(*st, id).count() == 2);
}

TEST_CASE("the importer queues changed objects for sync, and only those") {
  TempDir dir;
  auto st = store::Store::open(dir / "db");
  const uint32_t id = synced_connector(*st, "HR");
  using K = store::ImportKind;

  // A first full import: every object is new (the fast path), so every one is queued.
  import(*st, id, K::full,
         {{rec(IDSYNC_CHANGE_STATE, "a", "1"), rec(IDSYNC_CHANGE_STATE, "b", "1")},
          { rec(IDSYNC_CHANGE_STATE, "c", "1"),
            rec(IDSYNC_CHANGE_STATE, "e", "1") }});
  CHECK(queued(*st, id) == std::vector<std::string>{"a", "b", "c", "e"});
  settle(*st, id);
  REQUIRE(queued(*st, id).empty());

  SECTION("an unchanged full import queues nothing") {
    import(*st, id, K::full,
           {{rec(IDSYNC_CHANGE_STATE, "a", "1"), rec(IDSYNC_CHANGE_STATE, "b", "1")},
            { rec(IDSYNC_CHANGE_STATE, "c", "1"),
              rec(IDSYNC_CHANGE_STATE, "e", "1") }});
    CHECK(queued(*st, id).empty());
  }

  SECTION("a full import queues the updated, renamed, new and missing objects") {
    import(*st, id, K::full,
           {{rec(IDSYNC_CHANGE_STATE, "a", "1"), rec(IDSYNC_CHANGE_STATE, "b", "2")},
            { rec(IDSYNC_CHANGE_STATE, "c", "1", "cn=renamed"),
              rec(IDSYNC_CHANGE_STATE, "d", "1") }});
    // a unchanged; b updated; c renamed; d new; e not seen, so a pending delete.
    CHECK(queued(*st, id) == std::vector<std::string>{"b", "c", "d", "e"});
    CHECK(store::ConnectorSpace(*st, id).get("e")->pending == store::PendingChange::remove);
  }

  SECTION("a delta import queues deletes and updates, not records equal to the staged state") {
    // Two records for one anchor in a page take the general path; both equal to what is
    // staged, so the record is not rewritten and not queued.
    import(*st, id, K::delta,
           {{rec(IDSYNC_CHANGE_STATE, "a", "1"), rec(IDSYNC_CHANGE_STATE, "a", "1"),
             rec(IDSYNC_CHANGE_STATE, "e", "1")},
            { rec(IDSYNC_CHANGE_DELETE, "b", ""),
              rec(IDSYNC_CHANGE_STATE, "c", "9") }});
    CHECK(queued(*st, id) == std::vector<std::string>{"b", "c"});
    CHECK(store::ConnectorSpace(*st, id).get("b")->pending == store::PendingChange::remove);
  }
}

TEST_CASE("an object added and deleted before any sync is queued, though its record is gone") {
  TempDir dir;
  auto st = store::Store::open(dir / "db");
  const uint32_t id = synced_connector(*st, "HR");
  import(*st, id, store::ImportKind::delta, {{ rec(IDSYNC_CHANGE_ADD, "x", "1") }});
  // Take the queue entry only: the add stays pending, as if a sync had not reached it.
  rocksdb::WriteBatch batch;
  store::SyncQueue(*st, id).remove(batch, "x");
  st->write(batch);
  REQUIRE(queued(*st, id).empty());
  import(*st, id, store::ImportKind::delta, {{ rec(IDSYNC_CHANGE_DELETE, "x", "") }});
  CHECK_FALSE(store::ConnectorSpace(*st, id).get("x"));
  // Sync finds no record: it drops the entry (or disconnects, had the add been synced).
  CHECK(queued(*st, id) == std::vector<std::string>{"x"});
}
