#include "store/store.hpp"

#include <rocksdb/write_batch.h>

#include <catch2/catch.hpp>

#include "store/codec.hpp"
#include "store/connector_space.hpp"
#include "store/run_history.hpp"
#include "support/temp_dir.hpp"

using namespace idsync::store;
using idsync::testing::TempDir;

TEST_CASE("a new store records the schema version and keeps connector ids across reopen") {
  TempDir dir;
  uint32_t hr = 0, ad = 0;
  {
    auto store = Store::open(dir / "db");
    CHECK(store->schema_version() == kSchemaVersion);
    hr = store->connector_id("HR");
    ad = store->connector_id("AD");
    CHECK(hr != ad);
    CHECK(store->connector_id("HR") == hr);
    CHECK_FALSE(store->find_connector_id("Entra"));
  }
  auto store = Store::open(dir / "db");
  CHECK(store->find_connector_id("HR") == hr);
  CHECK(store->connector_id("AD") == ad);
  CHECK(store->connector_id("Entra") != hr);
}

TEST_CASE("a store written by a newer idsync is refused with a clear message") {
  TempDir dir;
  {
    auto store = Store::open(dir / "db");
    std::string v;
    Encoder(v).u32be(kSchemaVersion + 1);
    rocksdb::WriteBatch b;
    b.Put(store->family(Family::meta), "schema_version", v);
    store->write(b);
  }
  CHECK_THROWS_WITH(Store::open(dir / "db"), Catch::Contains("written by a newer idsync") &&
                                                 Catch::Contains("reads up to version 1"));
}

TEST_CASE("a store in use is refused, naming the path") {
  TempDir dir;
  auto first = Store::open(dir / "db");
  CHECK_THROWS_WITH(Store::open(dir / "db"),
                    Catch::Contains((dir / "db").string()) && Catch::Contains("in use"));
}

TEST_CASE("connector spaces are separate and stream in anchor order") {
  TempDir dir;
  auto store = Store::open(dir / "db");
  ConnectorSpace a(*store, store->connector_id("A"));
  ConnectorSpace b(*store, store->connector_id("B"));
  rocksdb::WriteBatch batch;
  for (const char* anchor : {"3", "1", "2"}) {
    CsObject o;
    o.object_type = "person";
    std::string v;
    encode_cs_object(o, v);
    batch.Put(store->family(Family::cs), a.object_key(anchor), v);
  }
  CsObject other;
  other.object_type = "group";
  std::string v;
  encode_cs_object(other, v);
  batch.Put(store->family(Family::cs), b.object_key("9"), v);
  store->write(batch);

  std::vector<std::string> seen;
  a.for_each([&](const CsObject& o) {
    seen.push_back(o.anchor);
    return true;
  });
  CHECK(seen == std::vector<std::string>{"1", "2", "3"});
  CHECK(b.count() == 1);
  CHECK(b.get("9")->object_type == "group");
  CHECK_FALSE(a.get("9"));
}

TEST_CASE("run history lists newest first with counters") {
  TempDir dir;
  auto store = Store::open(dir / "db");
  RunHistory history(*store);
  RunRecord r;
  r.connector = "HR";
  r.profile = "Full Import";
  r.step = "full_import";
  r.status = "success";
  r.counters.adds = 5;
  CHECK(history.append(r) == 1);
  r.status = "stopped-data-error";
  r.message = "people.csv:4: unbalanced quote";
  CHECK(history.append(r) == 2);
  std::vector<RunRecord> runs;
  history.for_each_newest_first([&](const RunRecord& x) {
    runs.push_back(x);
    return true;
  });
  REQUIRE(runs.size() == 2);
  CHECK(runs[0].id == 2);
  CHECK(runs[0].message == "people.csv:4: unbalanced quote");
  CHECK(runs[1].counters.adds == 5);
}

TEST_CASE("maintenance purges the run history that ended before a cutoff, oldest first") {
  TempDir dir;
  auto store = Store::open(dir / "db");
  RunHistory history(*store);
  RunRecord r;
  r.connector = "HR";
  r.profile = "Delta sync cycle";
  r.step = "delta_import";
  r.status = "success";
  r.reason = "";
  // 2,500 records ending a minute apart: more than one purge batch.
  for (int64_t i = 0; i < 2500; ++i) {
    r.started_unix_ms = i * 60000;
    r.ended_unix_ms = i * 60000 + 1000;
    history.append(r);
  }
  r.reason = "FullImportRequired: set by an admin";
  r.started_unix_ms = r.ended_unix_ms = 2500 * 60000;
  history.append(r);

  CHECK(history.purge_ended_before(0) == 0);
  CHECK(history.purge_ended_before(2100 * 60000) == 2100);  // ended at i minutes + 1 s, i < 2100
  std::vector<RunRecord> left;
  history.for_each_newest_first([&](const RunRecord& x) {
    left.push_back(x);
    return true;
  });
  REQUIRE(left.size() == 401);
  CHECK(left.back().id == 2101);  // ids keep counting: none is reused
  CHECK(left.front().reason == "FullImportRequired: set by an admin");
  // Everything is old: the newest record stays, and the next id follows it.
  CHECK(history.purge_ended_before(3000 * 60000) == 400);
  CHECK(history.append(r) == 2502);
  std::size_t count = 0;
  history.for_each_newest_first([&](const RunRecord&) { return ++count, true; });
  CHECK(count == 2);
}

TEST_CASE("multi_get answers each lookup in the caller's order, however the keys are ordered") {
  TempDir dir;
  auto store = Store::open(dir / "db");
  rocksdb::WriteBatch b;
  for (const char* k : {"a", "b", "c", "d"}) {
    b.Put(store->family(Family::cs), k, std::string("cs-") + k);
    b.Put(store->family(Family::pending_export), k, std::string("pe-") + k);
  }
  store->write(b);
  // Families interleaved, keys descending, a key asked twice and two keys that are absent:
  // the lookups reach RocksDB sorted, the answers come back in this order.
  const std::vector<Family> families = {Family::pending_export, Family::cs, Family::cs,
                                        Family::pending_export, Family::cs, Family::cs,
                                        Family::pending_export};
  const std::vector<std::string> keys = {"d", "d", "zz", "b", "a", "d", "0"};
  const auto found = store->multi_get(families, keys);
  REQUIRE(found.size() == keys.size());
  CHECK(found[0] == "pe-d");
  CHECK(found[1] == "cs-d");
  CHECK_FALSE(found[2]);
  CHECK(found[3] == "pe-b");
  CHECK(found[4] == "cs-a");
  CHECK(found[5] == "cs-d");
  CHECK_FALSE(found[6]);
  CHECK(store->multi_get({}, {}).empty());
}
