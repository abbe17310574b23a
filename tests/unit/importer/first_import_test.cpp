// Objects imported before a connector's first Full Sync (store::CsObject::first_import): how
// the importer stores them, and how it reads them back before and after that sync.
#include <rocksdb/write_batch.h>

#include <catch2/catch.hpp>
#include <optional>
#include <string>

#include "record_source.hpp"
#include "store/codec.hpp"
#include "store/connector_space.hpp"
#include "store/import_progress.hpp"
#include "store/links.hpp"
#include "store/sync_queue.hpp"
#include "support/temp_dir.hpp"

using namespace idsync;
using idsync::testing::import_records;
using idsync::testing::person;
using idsync::testing::RecordSource;
using idsync::testing::TempDir;

namespace {

RecordSource source_of(std::vector<importer::ImportRecord> records) {
  RecordSource source;
  source.pages.push_back(std::move(records));
  return source;
}

uint32_t hr(store::Store& st) { return st.connector_id("HR"); }

std::optional<store::CsObject> object(store::Store& st, const std::string& anchor) {
  return store::ConnectorSpace(st, hr(st)).get(anchor);
}

std::optional<std::string> record(store::Store& st, const std::string& anchor) {
  return st.get(store::Family::cs, store::ConnectorSpace(st, hr(st)).object_key(anchor));
}

// What a completed first Full Sync records; it leaves first imports' records as they are.
void complete_first_sync(store::Store& st) {
  rocksdb::WriteBatch batch;
  store::ProgressRecords(st, hr(st)).put_synced_once(batch);
  st.write(batch);
}

uint64_t queued(store::Store& st) { return store::SyncQueue(st, hr(st)).count(); }

}  // namespace

TEST_CASE("a connector's first import stores its objects as a first import's, pending adds") {
  TempDir dir;
  auto st = store::Store::open(dir / "db");
  // The full import's object takes the importer's plain path; the delta import's (an update of
  // an object it has not seen) the general one.
  RecordSource full = source_of({person("a", {"mail", "a@example.com"})});
  REQUIRE(import_records(*st, full).ok());
  RecordSource delta = source_of({person("b", {"mail", "b2@example.com"}, IDSYNC_CHANGE_UPDATE)});
  REQUIRE(import_records(*st, delta, idsync::testing::delta_import()).ok());
  for (const char* anchor : {"a", "b"}) {
    const auto o = object(*st, anchor);
    REQUIRE(o);
    CHECK(o->first_import);
    CHECK(o->pending == store::PendingChange::none);
    CHECK(store::effective_pending(*o, false) == store::PendingChange::add);
    CHECK(store::as_shown(*o, false).pending == store::PendingChange::add);
    CHECK(store::as_shown(*o, true).pending == store::PendingChange::none);
  }
  CHECK(object(*st, "b")->find("mail")->values == std::vector<std::string>{"b2@example.com"});
  CHECK(queued(*st) == 0);  // the first sync is a Full Sync, which reads every object

  SECTION("a change before the first sync keeps an object a first import's, with new values") {
    RecordSource changed = source_of({person("a", {"mail", "new@example.com"})});
    const auto r = import_records(*st, changed);
    CHECK(r.counters.updates == 1);
    const auto o = object(*st, "a");
    CHECK(o->first_import);
    CHECK(o->changed_attributes.empty());
    CHECK(o->find("mail")->values == std::vector<std::string>{"new@example.com"});
  }
  SECTION("a delete before the first sync withdraws the add: nothing downstream knows it") {
    RecordSource without_a = source_of({person("b", {"mail", "b2@example.com"})});
    const auto r = import_records(*st, without_a);
    CHECK(r.counters.deletes == 1);
    CHECK_FALSE(object(*st, "a"));
  }
  SECTION("one an interrupted first sync linked becomes a pending delete, for the sync to see") {
    rocksdb::WriteBatch batch;
    store::Links(*st).link(batch, hr(*st), "a", 7);
    st->write(batch);
    RecordSource without_a = source_of({person("b", {"mail", "b2@example.com"})});
    const auto r = import_records(*st, without_a);
    CHECK(r.counters.deletes == 1);
    const auto o = object(*st, "a");
    REQUIRE(o);
    CHECK_FALSE(o->first_import);
    CHECK(o->pending == store::PendingChange::remove);
  }
  SECTION("after the first sync, an unchanged object's record is left as it is") {
    complete_first_sync(*st);
    const auto before = record(*st, "a");
    RecordSource same = source_of(
        {person("a", {"mail", "a@example.com"}), person("b", {"mail", "b2@example.com"})});
    const auto r = import_records(*st, same);
    CHECK(r.counters.unchanged == 2);
    CHECK(record(*st, "a") == before);
    CHECK(queued(*st) == 0);
  }
  SECTION("after the first sync, a change is a pending update, queued for sync") {
    complete_first_sync(*st);
    RecordSource changed = source_of(
        {person("a", {"mail", "new@example.com"}), person("b", {"mail", "b2@example.com"})});
    REQUIRE(import_records(*st, changed).ok());
    const auto o = object(*st, "a");
    CHECK_FALSE(o->first_import);
    CHECK(o->pending == store::PendingChange::update);
    CHECK(o->changed_attributes == std::vector<std::string>{"mail"});
    CHECK(queued(*st) == 1);
  }
  SECTION("after the first sync, a missing object is a pending delete") {
    complete_first_sync(*st);
    RecordSource without_a = source_of({person("b", {"mail", "b2@example.com"})});
    REQUIRE(import_records(*st, without_a).ok());
    CHECK(object(*st, "a")->pending == store::PendingChange::remove);
  }
}

TEST_CASE("new objects of a connector already synced are pending adds, not first imports") {
  TempDir dir;
  auto st = store::Store::open(dir / "db");
  RecordSource first = source_of({person("a", {"mail", "a@example.com"})});
  REQUIRE(import_records(*st, first).ok());
  complete_first_sync(*st);
  RecordSource more =
      source_of({person("a", {"mail", "a@example.com"}), person("c", {"mail", "c@example.com"})});
  REQUIRE(import_records(*st, more).ok());
  const auto o = object(*st, "c");
  CHECK_FALSE(o->first_import);
  CHECK(o->pending == store::PendingChange::add);
  CHECK(queued(*st) == 1);
}
