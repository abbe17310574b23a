// Lookup prefixes (lookup_prefixes.hpp): what each extractor takes as the prefix of a key, and
// that lookups and whole-family scans both stay exact with prefix filters in the table files.
#include "store/lookup_prefixes.hpp"

#include <rocksdb/write_batch.h>

#include <catch2/catch.hpp>

#include "store/codec.hpp"
#include "store/join_index.hpp"
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

  // A scan by a shorter prefix orders over the whole family, across files and memtables.
  size_t seen = 0;
  scan_prefix(*store, Family::mv_join, field("person"), [&](std::string_view, std::string_view) {
    ++seen;
    return true;
  });
  CHECK(seen == 1000 + 143);
}
