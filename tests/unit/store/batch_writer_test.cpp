// Writes behind the caller (batch_writer.hpp, Store::write_behind): which reads must wait, the
// writer thread's order, and what a store left by such writes holds.
#include "store/batch_writer.hpp"

#include <rocksdb/write_batch.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <future>

#include "store/join_index.hpp"
#include "store/prefix_scan.hpp"
#include "store/store.hpp"
#include "support/temp_dir.hpp"

using namespace idsync::store;
using idsync::testing::TempDir;
using namespace std::string_literals;

namespace {

// A database with the default family and one more, "second".
struct TwoFamilies {
  TwoFamilies() {
    rocksdb::Options options;
    options.create_if_missing = true;
    options.create_missing_column_families = true;
    std::vector<rocksdb::ColumnFamilyDescriptor> families = {
        {rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions()},
        {"second", rocksdb::ColumnFamilyOptions()}};
    rocksdb::DB* raw = nullptr;
    REQUIRE(rocksdb::DB::Open(options, (dir / "db").string(), families, &handles, &raw).ok());
    db.reset(raw);
    // Family index 0 is "second"; the default family is not one of ours.
    family_of_cf.assign(handles[1]->GetID() + 1, -1);
    family_of_cf[handles[1]->GetID()] = 0;
  }
  ~TwoFamilies() {
    for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
  }
  std::optional<std::string> get(const std::string& key) {
    std::string value;
    rocksdb::Status s = db->Get(rocksdb::ReadOptions(), handles[1], key, &value);
    if (s.IsNotFound()) return std::nullopt;
    REQUIRE(s.ok());
    return value;
  }

  TempDir dir;
  std::unique_ptr<rocksdb::DB> db;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  std::vector<int> family_of_cf;
};

}  // namespace

TEST_CASE("the keys of a batch say which reads must wait for it") {
  TwoFamilies t;
  rocksdb::WriteBatch b;
  b.Put(t.handles[1], "b/2", "x");
  b.Delete(t.handles[1], "b/7");
  b.Merge(t.handles[1], "m", "x");
  b.Put(t.handles[0], "a", "not ours");
  const WrittenKeys keys(b, t.family_of_cf, 1);

  CHECK(keys.touches(0, "b/2"));
  CHECK(keys.touches(0, "b/7"));  // a delete changes what a read finds
  CHECK(keys.touches(0, "m"));
  CHECK_FALSE(keys.touches(0, "b/3"));
  CHECK_FALSE(keys.touches(0, "a"));

  CHECK(keys.touches_range(0, "b/", "b0"));
  CHECK(keys.touches_range(0, "b/2", "b/3"));        // the lower bound is in the range
  CHECK_FALSE(keys.touches_range(0, "b/3", "b/7"));  // the upper bound is not
  CHECK_FALSE(keys.touches_range(0, "b/2\0"s, "b/7"));
  CHECK(keys.touches_range(0, "b/8", ""));  // no upper bound: up to the end
  CHECK_FALSE(keys.touches_range(0, "n", ""));

  rocksdb::WriteBatch ranged;
  ranged.DeleteRange(t.handles[1], "p", "q");
  const WrittenKeys whole(ranged, t.family_of_cf, 1);
  CHECK(whole.touches(0, "anything"));
  CHECK(whole.touches_range(0, "x", "y"));
}

TEST_CASE("the writer writes one batch at a time, in order, and reports when it is done") {
  TwoFamilies t;
  std::promise<void> go;
  std::shared_future<void> released = go.get_future().share();
  int writes = 0;
  BatchWriter writer(*t.db, [&] {
    if (++writes == 1) released.wait();  // hold the first write until the test says so
    return rocksdb::Status::OK();
  });
  CHECK(writer.in_flight() == nullptr);

  rocksdb::WriteBatch first;
  first.Put(t.handles[1], "k", "1");
  writer.submit(std::move(first), t.family_of_cf, 1);
  REQUIRE(writer.in_flight() != nullptr);
  CHECK(writer.in_flight()->touches(0, "k"));
  CHECK_FALSE(t.get("k"));  // not written yet: a read of "k" must wait

  go.set_value();
  CHECK(writer.wait().ok());
  CHECK(writer.in_flight() == nullptr);
  CHECK(t.get("k") == "1");

  rocksdb::WriteBatch second;
  second.Put(t.handles[1], "k", "2");
  writer.submit(std::move(second), t.family_of_cf, 1);
  CHECK(writer.wait().ok());
  CHECK(t.get("k") == "2");
  CHECK(writer.wait().ok());  // nothing in flight
}

TEST_CASE("a failed write is reported by the wait that follows it, and writes nothing") {
  TwoFamilies t;
  BatchWriter writer(*t.db, [] { return rocksdb::Status::IOError("disk gone"); });
  rocksdb::WriteBatch b;
  b.Put(t.handles[1], "k", "1");
  writer.submit(std::move(b), t.family_of_cf, 1);
  const rocksdb::Status s = writer.wait();
  CHECK(s.IsIOError());
  CHECK_FALSE(t.get("k"));
  CHECK(writer.wait().ok());  // reported once
}

TEST_CASE("reads after write_behind see the batch, and a reopened store has every batch") {
  TempDir dir;
  {
    auto store = Store::open(dir / "db");
    for (int round = 0; round < 50; ++round) {
      rocksdb::WriteBatch b;
      const std::string key = "k" + std::to_string(1000 + round);
      b.Put(store->family(Family::cs), key, std::to_string(round));
      if (round > 0) b.Delete(store->family(Family::cs), "k" + std::to_string(999 + round));
      store->write_behind(std::move(b));
      // The first read after the write: the written key among others, after another
      // family's (the merge of sorted keys finds it wherever it falls).
      const auto mixed = store->multi_get({Family::cs, Family::mv, Family::cs, Family::cs},
                                          {"z", "k1000", key, "a"});
      CHECK(mixed == std::vector<std::optional<std::string>>{std::nullopt, std::nullopt,
                                                             std::to_string(round), std::nullopt});
      CHECK(store->get(Family::cs, key) == std::to_string(round));
      const auto many = store->multi_get({Family::cs, Family::cs}, {key, "k999"});
      CHECK(many[0] == std::to_string(round));
      std::vector<std::string> seen;
      scan_prefix(*store, Family::cs, "k", [&](std::string_view k, std::string_view) {
        seen.emplace_back(k);
        return true;
      });
      CHECK(seen == std::vector<std::string>{std::to_string(1000 + round)});
    }
    store->wait_for_writes();
  }
  auto store = Store::open(dir / "db");
  CHECK(store->get(Family::cs, "k1049") == "49");
  CHECK_FALSE(store->get(Family::cs, "k1048"));
}

TEST_CASE("batch lookups after write_behind wait for a batch that writes under their prefixes") {
  TempDir dir;
  auto store = Store::open(dir / "db");
  const JoinIndex index(*store);
  const std::string other = JoinIndex::value_prefix("person", "employeeId", "other");
  for (int round = 0; round < 50; ++round) {
    // Each batch moves MV 1's value from the last round's to this round's.
    const std::string value = "E" + std::to_string(1000 + round);
    const std::string before = "E" + std::to_string(999 + round);
    rocksdb::WriteBatch b;
    index.add(b, "person", "employeeId", value, 1);
    if (round > 0) index.remove(b, "person", "employeeId", before, 1);
    store->write_behind(std::move(b));
    std::vector<std::string> prefixes{JoinIndex::value_prefix("person", "employeeId", before),
                                      JoinIndex::value_prefix("person", "employeeId", value),
                                      other};
    std::sort(prefixes.begin(), prefixes.end());
    const auto found = index.find_many({prefixes.begin(), prefixes.end()});
    for (size_t i = 0; i < prefixes.size(); ++i) {
      const bool current = prefixes[i] == JoinIndex::value_prefix("person", "employeeId", value);
      CHECK(found[i] == (current ? std::vector<uint64_t>{1} : std::vector<uint64_t>{}));
    }
  }
  store->wait_for_writes();
}
