// A store written before the sync families existed (schema 1 with its six families only) must
// stay readable by the read-only CLI commands, and gain the families at the next read-write
// open.
#include <rocksdb/db.h>

#include <catch2/catch.hpp>

#include "store/codec.hpp"
#include "store/connector_space.hpp"
#include "store/dirty_attributes.hpp"
#include "store/join_index.hpp"
#include "store/links.hpp"
#include "store/metaverse.hpp"
#include "store/pending_export.hpp"
#include "store/sync_queue.hpp"
#include "support/temp_dir.hpp"

using namespace idsync::store;
using idsync::testing::TempDir;

namespace {

// Writes what an idsync of schema 1 before the sync engine wrote: the six families, the schema
// version, connector "HR" with id 1 and one object. Through RocksDB directly, so that nothing
// of this build's Store takes part.
void write_old_store(const std::filesystem::path& path) {
  rocksdb::DBOptions options;
  options.create_if_missing = true;
  options.create_missing_column_families = true;
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  families.emplace_back(rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions());
  for (const char* name : {"meta", "cs", "cs_dn", "cs_seen", "progress", "runs"})
    families.emplace_back(name, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  REQUIRE(rocksdb::DB::Open(options, path.string(), families, &handles, &raw).ok());
  std::unique_ptr<rocksdb::DB> db(raw);
  std::string version, id;
  Encoder(version).u32be(1);
  Encoder(id).u32be(1);
  CsObject o;
  o.object_type = "person";
  o.dn = "cn=a";
  std::string record;
  encode_cs_object(o, record);
  REQUIRE(db->Put({}, handles[1], "schema_version", version).ok());
  REQUIRE(db->Put({}, handles[1], "connector/HR", id).ok());
  REQUIRE(db->Put({}, handles[2], connector_key(1, "a"), record).ok());
  for (auto* h : handles) REQUIRE(db->DestroyColumnFamilyHandle(h).ok());
  REQUIRE(db->Close().ok());
}

std::vector<std::string> family_names(const std::filesystem::path& path) {
  std::vector<std::string> names;
  REQUIRE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), path.string(), &names).ok());
  return names;
}

}  // namespace

TEST_CASE("a read-only open of a store older than the sync families reads them as empty") {
  TempDir dir;
  write_old_store(dir / "db");
  {
    auto store = Store::open_read_only(dir / "db");
    CHECK(store->has_family(Family::cs));
    CHECK_FALSE(store->has_family(Family::mv));
    CHECK_FALSE(store->has_family(Family::export_confirm));
    // The old data reads as before.
    CHECK(store->find_connector_id("HR") == 1u);
    CHECK(ConnectorSpace(*store, 1).get("a")->dn == "cn=a");
    // The new families read as empty, by key and by scan.
    CHECK_FALSE(MetaverseStore(*store).get(1));
    int n = 0;
    MetaverseStore(*store).for_each([&](const MvObject&) { return ++n, true; });
    CHECK(n == 0);
    CHECK(SyncQueue(*store, 1).count() == 0);
    CHECK(JoinIndex(*store).find("person", "mail", "x", false).empty());
    CHECK_FALSE(Links(*store).mv_of(1, "a"));
    CHECK(Links(*store).links_of(1).empty());
    CHECK_FALSE(DirtyAttributes(*store).get(1));
    CHECK_FALSE(PendingExports(*store, 1).get("a"));
  }
  // The read-only open created nothing.
  CHECK(family_names(dir / "db").size() == 7);

  // A read-write open adds the families, empty; the old data stays.
  {
    auto store = Store::open(dir / "db");
    CHECK(store->has_family(Family::mv));
    CHECK(SyncQueue(*store, 1).count() == 0);
    CHECK(ConnectorSpace(*store, 1).get("a")->dn == "cn=a");
    rocksdb::WriteBatch batch;
    SyncQueue(*store, 1).add(batch, "a");
    store->write(batch);
  }
  CHECK(family_names(dir / "db").size() == 1 + kFamilyCount);
  auto store = Store::open_read_only(dir / "db");
  CHECK(store->has_family(Family::sync_queue));
  CHECK(SyncQueue(*store, 1).contains("a"));
}
