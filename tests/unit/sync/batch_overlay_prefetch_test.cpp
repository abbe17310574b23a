// BatchOverlay's batch reads (prefetch_links, prefetch_linked_mvs, prefetch_joins): what they
// read answers mv_of, mv(), find() and anchor_of as the store would, the batch's own changes
// still come first, and the answers go with the batch (flush).
#include <catch2/catch.hpp>

#include "store/join_index.hpp"
#include "store/links.hpp"
#include "store/metaverse.hpp"
#include "store/store.hpp"
#include "support/temp_dir.hpp"
#include "sync/batch_overlay.hpp"

using namespace idsync;

namespace {

store::MvObject person(uint64_t id, const std::string& employee_id) {
  store::MvObject o;
  o.id = id;
  o.object_type = "person";
  store::MvAttribute a;
  a.name = "employeeId";
  a.values = {employee_id};
  o.attributes.push_back(a);
  return o;
}

struct Fixture {
  testing::TempDir dir;
  std::unique_ptr<store::Store> store = store::Store::open(dir / "store");
  uint32_t hr = store->connector_id("HR");
  std::vector<std::string> join_attributes{"employeeId"};

  // a1 -> MV 1 and a3 -> MV 3 (whose MV object is missing); a2 unlinked.
  Fixture() {
    rocksdb::WriteBatch b;
    store::MetaverseStore(*store).put(b, person(1, "e1"));
    store::JoinIndex(*store).add_object(b, person(1, "e1"), join_attributes);
    store::Links(*store).link(b, hr, "a1", 1);
    store::Links(*store).link(b, hr, "a3", 3);
    store->write(b);
  }
};

}  // namespace

TEST_CASE("prefetched links answer as the store does, below the batch's own changes") {
  Fixture f;
  sync::BatchOverlay overlay(*f.store, f.join_attributes);
  const std::vector<std::string> anchors{"a1", "a2", "a3"};
  overlay.prefetch_links(f.hr, {anchors[0], anchors[1], anchors[2]});
  CHECK(overlay.mv_of(f.hr, "a1") == std::optional<uint64_t>(1));
  CHECK_FALSE(overlay.mv_of(f.hr, "a2"));
  CHECK(overlay.mv_of(f.hr, "a3") == std::optional<uint64_t>(3));

  // The batch moves a1 to MV 2 and links a2: the overlay's changes win over what was read.
  overlay.unlink(f.hr, "a1");
  CHECK_FALSE(overlay.mv_of(f.hr, "a1"));
  overlay.link(f.hr, "a2", 1);
  CHECK(overlay.mv_of(f.hr, "a2") == std::optional<uint64_t>(1));

  // Another connector's anchors of the same name were not read for HR.
  const uint32_t badges = f.store->connector_id("Badges");
  CHECK_FALSE(overlay.mv_of(badges, "a1"));
}

TEST_CASE("prefetched MV objects are the linked ones, missing ones stay missing") {
  Fixture f;
  sync::BatchOverlay overlay(*f.store, f.join_attributes);
  const std::vector<std::string> anchors{"a1", "a2", "a3"};
  overlay.prefetch_links(f.hr, {anchors[0], anchors[1], anchors[2]});
  overlay.prefetch_linked_mvs();

  // Deleted from the store behind the overlay's back: the overlay answers from its batch read,
  // which is what shows the read happened (mv() would otherwise read the store now).
  rocksdb::WriteBatch gone;
  store::MetaverseStore(*f.store).remove(gone, 1);
  f.store->write(gone);
  const store::MvObject* one = overlay.mv(1);
  REQUIRE(one);
  CHECK(*one == person(1, "e1"));
  CHECK_FALSE(overlay.mv(3));  // linked, but no MV object: stays absent
}

TEST_CASE("a flush forgets the batch's reads") {
  Fixture f;
  sync::BatchOverlay overlay(*f.store, f.join_attributes);
  const std::vector<std::string> anchors{"a1"};
  overlay.prefetch_links(f.hr, {anchors[0]});
  REQUIRE(overlay.mv_of(f.hr, "a1") == std::optional<uint64_t>(1));

  rocksdb::WriteBatch flushed;
  overlay.flush(flushed);
  // The store changes after the batch: the next batch sees the change, not the old read.
  rocksdb::WriteBatch unlink;
  store::Links(*f.store).unlink(unlink, f.hr, "a1");
  f.store->write(unlink);
  CHECK_FALSE(overlay.mv_of(f.hr, "a1"));
}

TEST_CASE("prefetched join entries answer find() and the join's reads, below the batch's changes") {
  Fixture f;
  sync::BatchOverlay overlay(*f.store, f.join_attributes);
  overlay.prefetch_joins({{"person", "employeeId", "E1"}, {"person", "employeeId", "e9"}});

  // MV 1, its index entry and its link go from the store behind the overlay's back: the
  // overlay answers from its batch read (a read now would find nothing).
  rocksdb::WriteBatch gone;
  store::MetaverseStore(*f.store).remove(gone, 1);
  store::JoinIndex(*f.store).remove_object(gone, person(1, "e1"), f.join_attributes);
  store::Links(*f.store).unlink(gone, f.hr, "a1");
  f.store->write(gone);
  CHECK(overlay.find("person", "employeeId", "e1", true) == std::vector<uint64_t>{1});
  CHECK(overlay.find("person", "employeeId", "E1", true).empty());  // exact case is checked
  CHECK(overlay.find("person", "employeeId", "E1", false) == std::vector<uint64_t>{1});
  CHECK(overlay.anchor_of(1, f.hr) == std::optional<std::string>("a1"));
  CHECK(overlay.find("person", "employeeId", "e9", true).empty());

  // A value given in the batch is found; a value the batch took away is not.
  overlay.put_new_mv(person(9, "e9"), {"employeeId"});
  CHECK(overlay.find("person", "employeeId", "e9", true) == std::vector<uint64_t>{9});
  overlay.put_mv(person(1, "e2"), {"employeeId"}, false);
  CHECK(overlay.find("person", "employeeId", "e1", true).empty());
  CHECK(overlay.find("person", "employeeId", "e2", true) == std::vector<uint64_t>{1});

  // After the flush, the next batch reads the store again.
  rocksdb::WriteBatch flushed;
  overlay.flush(flushed);
  CHECK(overlay.find("person", "employeeId", "e1", true).empty());
  CHECK_FALSE(overlay.anchor_of(1, f.hr));
}
