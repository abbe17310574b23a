// Lookup prefixes (lookup_prefixes.hpp): what each extractor takes as the prefix of a key, and
// that lookups and whole-family scans both stay exact with prefix filters in the table files.
#include "store/lookup_prefixes.hpp"

#include <rocksdb/write_batch.h>

#include <algorithm>
#include <catch2/catch.hpp>

#include "store/codec.hpp"
#include "store/join_index.hpp"
#include "store/links.hpp"
#include "store/mv_object.hpp"
#include "store/prefix_scan.hpp"
#include "store/reference_waits.hpp"
#include "store/store.hpp"
#include "support/temp_dir.hpp"

using namespace idsync::store;
using idsync::testing::TempDir;
using namespace std::string_literals;

namespace {

std::string field(std::string_view s) {
  std::string out;
  Encoder(out).bytes(s);
  return out;
}

std::string prefix_of(const rocksdb::SliceTransform& t, const std::string& key) {
  REQUIRE(t.InDomain(key));
  return t.Transform(key).ToString();
}

}  // namespace

TEST_CASE("the join index prefix is type, attribute and value, without the MV id") {
  const auto& t = *join_value_prefix();
  const std::string prefix = field("person") + field("employeeid") + field("e1");
  const std::string key = prefix + "\0\0\0\0\0\0\0\x07"s;
  CHECK(prefix_of(t, key) == prefix);
  CHECK(prefix_of(t, prefix) == prefix);  // a lookup seeks to the prefix itself
  CHECK_FALSE(t.InDomain(field("person") + field("employeeid")));  // a shorter scan
  CHECK_FALSE(t.InDomain(field("person") + "\x05" + "ab"));        // a value cut short
  CHECK_FALSE(t.InDomain(""));
}

TEST_CASE("the reference wait prefix is the awaited object, without the waiter") {
  const auto& t = *awaited_object_prefix();
  const std::string inbound = ReferenceWaits::inbound_target(7, "CN=Ann");
  CHECK(prefix_of(t, inbound + "holder-anchor") == inbound);
  CHECK(prefix_of(t, inbound) == inbound);
  const std::string outbound = ReferenceWaits::outbound_target(7, 42);
  CHECK(prefix_of(t, outbound + "\0\0\0\0\0\0\0\x09"s) == outbound);
  CHECK_FALSE(t.InDomain(connector_prefix(7)));  // all of a connector's waits
  CHECK_FALSE(t.InDomain(inbound.substr(0, inbound.size() - 1)));
}

TEST_CASE("the link prefix is the MV id, without the connector") {
  const auto& t = *mv_id_prefix();
  const std::string key = Links::link_mv_key(42, 7);
  CHECK(prefix_of(t, key) == mv_key(42));
  CHECK(prefix_of(t, mv_key(42)) == mv_key(42));  // links_of seeks to the MV id itself
  CHECK_FALSE(t.InDomain(mv_key(42).substr(0, 7)));
  CHECK_FALSE(t.InDomain(""));
}

TEST_CASE("links are found by MV id and by MV id and connector, in table files and memtables") {
  TempDir dir;
  auto store = Store::open(dir / "db");
  const Links links(*store);
  // MV n has a link in connector 1, every third one in connector 2 as well; the first half
  // goes to table files (compacted), the rest stays in the memtable.
  for (int round = 0; round < 2; ++round) {
    rocksdb::WriteBatch b;
    for (int i = 0; i < 300; ++i) {
      const int n = round * 300 + i + 1;
      links.link_unlinked(b, 1, "hr-" + std::to_string(n), static_cast<uint64_t>(n));
      if (n % 3 == 0) links.link_unlinked(b, 2, "dir-" + std::to_string(n), n);
    }
    store->write(b);
    if (round == 0) store->compact(Family::link_mv);
  }
  for (const uint64_t id : {3u, 4u, 299u, 300u, 301u, 600u}) {
    std::vector<Link> want{{1, "hr-" + std::to_string(id)}};
    if (id % 3 == 0) want.push_back({2, "dir-" + std::to_string(id)});
    CHECK(links.links_of(id) == want);
    CHECK(links.anchor_of(id, 1) == "hr-" + std::to_string(id));
    CHECK(links.anchor_of(id, 2).has_value() == (id % 3 == 0));
  }
  CHECK(links.links_of(601).empty());
  CHECK_FALSE(links.anchor_of(601, 1).has_value());

  // One iterator for many MV objects finds what one lookup each finds, across files and the
  // memtable, and nothing for an MV object without links.
  const std::vector<uint64_t> ids{3, 4, 299, 300, 301, 600, 601};
  auto each = [&] {
    std::vector<std::vector<Link>> out;
    for (uint64_t id : ids) out.push_back(links.links_of(id));
    return out;
  };
  CHECK(links.links_of_many(ids) == each());
  CHECK(links.links_of_many(ids)[0].size() == 2);

  // An unlink in the memtable hides a link in a table file.
  rocksdb::WriteBatch b;
  links.unlink(b, 2, "dir-3");
  store->write(b);
  CHECK(links.links_of(3) == std::vector<Link>{{1, "hr-3"}});
  CHECK(links.links_of_many({3, 4})[0] == std::vector<Link>{{1, "hr-3"}});

  size_t seen = 0;
  scan_prefix(*store, Family::link_mv, "", [&](std::string_view, std::string_view) {
    ++seen;
    return true;
  });
  CHECK(seen == 600 + 200 - 1);
}

TEST_CASE("lookups find what table files and memtables hold, and whole scans see every key") {
  TempDir dir;
  auto store = Store::open(dir / "db");
  const JoinIndex index(*store);
  // Values in table files (compacted), then more in the memtable.
  for (int round = 0; round < 2; ++round) {
    rocksdb::WriteBatch b;
    for (int i = 0; i < 500; ++i) {
      const int n = round * 500 + i;
      index.add(b, "person", "employeeId", "E" + std::to_string(n), static_cast<uint64_t>(n + 1));
      if (n % 7 == 0) index.add(b, "person", "employeeId", "E" + std::to_string(n), 100000 + n);
    }
    store->write(b);
    if (round == 0) store->compact(Family::mv_join);
  }
  CHECK(index.find("person", "employeeId", "E3", false) == std::vector<uint64_t>{4});
  CHECK(index.find("person", "employeeId", "E7", false) == std::vector<uint64_t>{8, 100007});
  CHECK(index.find("person", "employeeId", "E700", false) == std::vector<uint64_t>{701, 100700});
  CHECK(index.find("person", "employeeId", "E1000", false).empty());
  CHECK(index.find("person", "mail", "E3", false).empty());

  // Many values with one iterator: each gets the ids one find() gives, absent values none.
  std::vector<std::string> prefixes;
  for (const char* v : {"E3", "E7", "E700", "e999", "E1000", "E998"})
    prefixes.push_back(JoinIndex::value_prefix("person", "employeeId", v));
  prefixes.push_back(JoinIndex::value_prefix("person", "mail", "E3"));
  std::sort(prefixes.begin(), prefixes.end());
  const auto found = index.find_many({prefixes.begin(), prefixes.end()});
  REQUIRE(found.size() == prefixes.size());
  size_t hits = 0;
  for (size_t i = 0; i < prefixes.size(); ++i) {
    std::vector<uint64_t> want;
    scan_lookup_prefix(*store, Family::mv_join, prefixes[i],
                       [&](std::string_view suffix, std::string_view) {
                         want.push_back(mv_id_of(suffix));
                         return true;
                       });
    CHECK(found[i] == want);
    hits += found[i].size();
  }
  CHECK(hits == 1 + 2 + 2 + 1 + 1);  // E3, E7, E700, e999 (values are lowercased), E998

  // A scan by a shorter prefix orders over the whole family, across files and memtables.
  size_t seen = 0;
  scan_prefix(*store, Family::mv_join, field("person"), [&](std::string_view, std::string_view) {
    ++seen;
    return true;
  });
  CHECK(seen == 1000 + 143);
}
