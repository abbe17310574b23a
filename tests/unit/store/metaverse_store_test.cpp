// The sync families against a real store: metaverse records and ids, the join index, links,
// the sync queue, dirty marks, pending exports and confirmations.
#include <rocksdb/write_batch.h>

#include <catch2/catch.hpp>

#include "store/codec.hpp"
#include "store/connector_space.hpp"
#include "store/dirty_attributes.hpp"
#include "store/export_confirm.hpp"
#include "store/join_index.hpp"
#include "store/links.hpp"
#include "store/metaverse.hpp"
#include "store/pending_export.hpp"
#include "store/sync_queue.hpp"
#include "support/temp_dir.hpp"

using namespace idsync::store;
using idsync::testing::TempDir;

namespace {

MvObject person(uint64_t id, std::vector<std::string> mail, std::string employee_id = "") {
  MvObject o;
  o.id = id;
  o.object_type = "person";
  if (!employee_id.empty())
    o.attributes.push_back({"employeeId", IDSYNC_VALUE_STRING, {employee_id}, {1, "hr", 1, 5}});
  if (!mail.empty()) o.attributes.push_back({"mail", IDSYNC_VALUE_STRING, mail, {1, "hr", 1, 5}});
  canonicalize(o.attributes);
  return o;
}

const std::vector<std::string> kJoinAttributes = {"mail", "employeeId"};

}  // namespace

TEST_CASE("MV objects are stored, streamed in id order and removed") {
  TempDir dir;
  auto store = Store::open(dir / "db");
  MetaverseStore mv(*store);
  rocksdb::WriteBatch batch;
  for (uint64_t id : {300, 2, 70}) mv.put(batch, person(id, {"m" + std::to_string(id)}));
  store->write(batch);
  CHECK(mv.get(70) == person(70, {"m70"}));
  CHECK_FALSE(mv.get(71));
  std::vector<uint64_t> ids;
  mv.for_each([&](const MvObject& o) {
    ids.push_back(o.id);
    return true;
  });
  CHECK(ids == std::vector<uint64_t>{2, 70, 300});
  batch.Clear();
  mv.remove(batch, 70);
  store->write(batch);
  CHECK_FALSE(mv.get(70));
}

TEST_CASE(
    "many MV objects, CS objects and links are read at once, in the order asked, absent ones "
    "absent") {
  TempDir dir;
  auto store = Store::open(dir / "db");
  const uint32_t hr = store->connector_id("HR");
  rocksdb::WriteBatch batch;
  for (uint64_t id : {5, 9})
    MetaverseStore(*store).put(batch, person(id, {"m" + std::to_string(id)}));
  Links(*store).link(batch, hr, "E9", 9);
  Links(*store).link(batch, hr, "E5", 5);
  store->write(batch);

  const auto objects = MetaverseStore(*store).get_many({9, 6, 5});
  REQUIRE(objects.size() == 3);
  CHECK(objects[0] == person(9, {"m9"}));
  CHECK_FALSE(objects[1]);
  CHECK(objects[2] == person(5, {"m5"}));

  const auto linked = Links(*store).mv_of_many(hr, {"E5", "E6", "E9"});
  CHECK(linked == std::vector<std::optional<uint64_t>>{5, std::nullopt, 9});
  const uint32_t badges = store->connector_id("Badges");
  CHECK(Links(*store).mv_of_many(badges, {"E5"}) ==
        std::vector<std::optional<uint64_t>>{std::nullopt});

  CsObject staged;
  staged.anchor = "E9";
  staged.object_type = "person";
  staged.attributes.push_back({"mail", IDSYNC_VALUE_STRING, {"m9"}});
  std::string value;
  encode_cs_object(staged, value);
  rocksdb::WriteBatch cs;
  cs.Put(store->family(Family::cs), ConnectorSpace(*store, hr).object_key("E9"), value);
  store->write(cs);
  const auto staged_objects = ConnectorSpace(*store, hr).get_many({"E8", "E9"});
  REQUIRE(staged_objects.size() == 2);
  CHECK_FALSE(staged_objects[0]);
  REQUIRE(staged_objects[1]);
  CHECK(staged_objects[1]->anchor == "E9");
  CHECK(staged_objects[1]->attributes == staged.attributes);

  // A damaged link record is reported, as mv_of reports it.
  rocksdb::WriteBatch damage;
  damage.Put(store->family(Family::link_cs), Links::link_cs_key(hr, "E5"), "short");
  store->write(damage);
  CHECK_THROWS_AS(Links(*store).mv_of_many(hr, {"E5"}), CorruptRecord);
}

TEST_CASE("mv ids count up across batches and reopen, an uncommitted id is all that repeats") {
  TempDir dir;
  {
    auto store = Store::open(dir / "db");
    MvIdAllocator ids(*store);
    rocksdb::WriteBatch batch;
    CHECK(ids.allocate() == 1);
    CHECK(ids.allocate() == 2);
    ids.record(batch);
    store->write(batch);
    rocksdb::WriteBatch lost;  // allocated, never written: the "crash" case
    CHECK(ids.allocate() == 3);
    ids.record(lost);
  }
  auto store = Store::open(dir / "db");
  MvIdAllocator ids(*store);
  rocksdb::WriteBatch batch;
  // 3 was never committed, so nothing refers to it and handing it out again is safe; 1 and 2
  // are never handed out again.
  CHECK(ids.allocate() == 3);
  ids.record(batch);
  CHECK(batch.Count() == 1);
  ids.record(batch);  // nothing allocated since: nothing more to write
  CHECK(batch.Count() == 1);
  store->write(batch);
  CHECK(MvIdAllocator(*store).peek_next() == 4);
}

TEST_CASE("the join index finds MV objects by value, case-insensitively or exactly") {
  TempDir dir;
  auto store = Store::open(dir / "db");
  MetaverseStore mv(*store);
  JoinIndex join(*store);
  rocksdb::WriteBatch batch;
  const MvObject a = person(1, {"Ann@Example.com"}, "E1");
  const MvObject b = person(2, {"ann@example.com"}, "E2");
  const MvObject c = person(3, {"bob@example.com", "b@example.com"}, "E3");
  for (const auto* o : {&a, &b, &c}) {
    mv.put(batch, *o);
    join.add_object(batch, *o, kJoinAttributes);
  }
  MvObject group;
  group.id = 4;
  group.object_type = "group";
  group.attributes.push_back({"mail", IDSYNC_VALUE_STRING, {"ann@example.com"}, {}});
  mv.put(batch, group);
  join.add_object(batch, group, kJoinAttributes);
  store->write(batch);

  CHECK(join.find("person", "mail", "ANN@example.COM", false) == std::vector<uint64_t>{1, 2});
  CHECK(join.find("person", "MAIL", "ann@example.com", true) == std::vector<uint64_t>{2});
  CHECK(join.find("person", "mail", "Ann@Example.com", true) == std::vector<uint64_t>{1});
  CHECK(join.find("person", "mail", "b@example.com", false) == std::vector<uint64_t>{3});
  CHECK(join.find("group", "mail", "ann@example.com", false) == std::vector<uint64_t>{4});
  CHECK(join.find("person", "employeeId", "e2", false) == std::vector<uint64_t>{2});
  CHECK(join.find("person", "employeeId", "e2", true).empty());
  // A value that is a prefix of another must not match it.
  CHECK(join.find("person", "mail", "ann@example.co", false).empty());
  // Not a join attribute: not indexed.
  CHECK(join.find("person", "title", "x", false).empty());

  SECTION("updating an object moves only its changed values") {
    MvObject c2 = c;
    c2.find("mail")->values = {"B@example.com", "carl@example.com"};
    rocksdb::WriteBatch update;
    join.update_object(update, c, c2, kJoinAttributes);
    mv.put(update, c2);
    store->write(update);
    CHECK(join.find("person", "mail", "bob@example.com", false).empty());
    CHECK(join.find("person", "mail", "carl@example.com", false) == std::vector<uint64_t>{3});
    // b@ changed case only: the entry stays, and an exact join now wants the new spelling.
    CHECK(join.find("person", "mail", "b@example.com", false) == std::vector<uint64_t>{3});
    CHECK(join.find("person", "mail", "b@example.com", true).empty());
    CHECK(join.find("person", "mail", "B@example.com", true) == std::vector<uint64_t>{3});
  }
  SECTION("removing an object removes its entries; a tombstone never matches exactly") {
    rocksdb::WriteBatch remove;
    join.remove_object(remove, a, kJoinAttributes);
    MvObject dead = b;
    dead.deleted = true;
    mv.put(remove, dead);
    store->write(remove);
    CHECK(join.find("person", "mail", "ann@example.com", false) == std::vector<uint64_t>{2});
    CHECK(join.find("person", "mail", "ann@example.com", true).empty());
  }
}

TEST_CASE("links stay consistent in both directions through link, relink and unlink") {
  TempDir dir;
  auto store = Store::open(dir / "db");
  Links links(*store);
  const uint32_t hr = store->connector_id("HR"), ad = store->connector_id("AD");
  auto commit = [&](auto&& f) {
    rocksdb::WriteBatch batch;
    f(batch);
    store->write(batch);
  };
  commit([&](rocksdb::WriteBatch& b) {
    links.link(b, hr, "E1", 10);
    links.link(b, ad, "guid-1", 10);
    links.link(b, hr, "E2", 11);
  });
  CHECK(links.mv_of(hr, "E1") == 10u);
  CHECK(links.anchor_of(10, hr) == std::string("E1"));
  CHECK(links.links_of(10) == std::vector<Link>{{hr, "E1"}, {ad, "guid-1"}});
  CHECK(links.links_of(11) == std::vector<Link>{{hr, "E2"}});
  CHECK_FALSE(links.mv_of(ad, "E1"));

  // A second HR object cannot join MV object 10 while E1 is linked there.
  rocksdb::WriteBatch refused;
  CHECK_THROWS_AS(links.link(refused, hr, "E2", 10), StoreError);

  // Relink: E2 moves from 11 to 12, and 11 no longer points back at it.
  commit([&](rocksdb::WriteBatch& b) { links.link(b, hr, "E2", 12); });
  CHECK(links.mv_of(hr, "E2") == 12u);
  CHECK(links.anchor_of(12, hr) == std::string("E2"));
  CHECK(links.links_of(11).empty());
  // Linking again to the same object changes nothing.
  commit([&](rocksdb::WriteBatch& b) { links.link(b, hr, "E2", 12); });
  CHECK(links.links_of(12) == std::vector<Link>{{hr, "E2"}});

  std::optional<uint64_t> was;
  commit([&](rocksdb::WriteBatch& b) { was = links.unlink(b, hr, "E1"); });
  CHECK(was == 10u);
  CHECK_FALSE(links.mv_of(hr, "E1"));
  CHECK_FALSE(links.anchor_of(10, hr));
  CHECK(links.links_of(10) == std::vector<Link>{{ad, "guid-1"}});
  commit([&](rocksdb::WriteBatch& b) { was = links.unlink(b, hr, "E1"); });
  CHECK_FALSE(was);
  // Now E2 may take MV object 10's HR slot.
  commit([&](rocksdb::WriteBatch& b) { links.link(b, hr, "E2", 10); });
  CHECK(links.links_of(10) == std::vector<Link>{{hr, "E2"}, {ad, "guid-1"}});
  CHECK(links.links_of(12).empty());
}

TEST_CASE("the sync queue streams one connector's anchors in order, resumes, and removes") {
  TempDir dir;
  auto store = Store::open(dir / "db");
  SyncQueue a(*store, store->connector_id("A"));
  SyncQueue b(*store, store->connector_id("B"));
  rocksdb::WriteBatch batch;
  for (const char* anchor : {"c", "a", "b", "a"}) a.add(batch, anchor);
  b.add(batch, "z");
  store->write(batch);
  auto list = [](const SyncQueue& q, const char* after = nullptr) {
    std::vector<std::string> out;
    auto visit = [&](std::string_view anchor) {
      out.emplace_back(anchor);
      return true;
    };
    if (after)
      q.for_each_after(after, visit);
    else
      q.for_each(visit);
    return out;
  };
  CHECK(list(a) == std::vector<std::string>{"a", "b", "c"});
  CHECK(list(a, "a") == std::vector<std::string>{"b", "c"});
  CHECK(list(a, "aa") == std::vector<std::string>{"b", "c"});
  CHECK(list(a, "c").empty());
  CHECK(list(b) == std::vector<std::string>{"z"});
  CHECK(a.contains("b"));
  batch.Clear();
  a.remove(batch, "a");
  a.remove(batch, "b");
  store->write(batch);
  CHECK(list(a) == std::vector<std::string>{"c"});
  CHECK(a.count() == 1);
}

TEST_CASE("dirty marks accumulate across batches and within one, and clear") {
  TempDir dir;
  auto store = Store::open(dir / "db");
  DirtyAttributes dirty(*store);
  rocksdb::WriteBatch batch;
  dirty.mark(batch, 5, {"title", "mail"});
  dirty.mark(batch, 5, {"Mail", "department"});
  dirty.mark(batch, 9, {}, true);
  store->write(batch);
  batch.Clear();
  dirty.mark(batch, 5, {"zip"});
  store->write(batch);
  CHECK(dirty.get(5) == DirtySet{false, {"department", "mail", "title", "zip"}});
  // The merge also holds after the memtable is flushed and compacted.
  REQUIRE(store->db().Flush({}, store->family(Family::mv_dirty)).ok());
  REQUIRE(store->db().CompactRange({}, store->family(Family::mv_dirty), nullptr, nullptr).ok());
  CHECK(dirty.get(5) == DirtySet{false, {"department", "mail", "title", "zip"}});
  std::vector<uint64_t> ids;
  dirty.for_each([&](uint64_t id, const DirtySet&) {
    ids.push_back(id);
    return true;
  });
  CHECK(ids == std::vector<uint64_t>{5, 9});
  CHECK(dirty.get(9)->object);
  batch.Clear();
  dirty.clear(batch, 5);
  store->write(batch);
  CHECK_FALSE(dirty.get(5));
}

TEST_CASE("pending exports merge into the stored one and vanish when they cancel") {
  TempDir dir;
  auto store = Store::open(dir / "db");
  PendingExports ad(*store, store->connector_id("AD"));
  PendingExport add_member;
  add_member.kind = ExportKind::update;
  add_member.object_type = "group";
  add_member.dn = "cn=g";
  add_member.attributes = {{"member", IDSYNC_VALUE_REFERENCE, ValueOp::add, {"cn=x"}}};
  rocksdb::WriteBatch batch;
  ad.merge(batch, "g1", add_member);
  store->write(batch);
  REQUIRE(ad.get("g1"));
  CHECK(ad.get("g1")->attributes == add_member.attributes);

  PendingExport remove_member = add_member;
  remove_member.attributes[0].op = ValueOp::remove;
  batch.Clear();
  CHECK_FALSE(ad.merge(batch, "g1", remove_member));
  store->write(batch);
  CHECK_FALSE(ad.get("g1"));
  int n = 0;
  ad.for_each([&](std::string_view, const PendingExport&) { return ++n, true; });
  CHECK(n == 0);
}

TEST_CASE("export confirmations are stored per connector and anchor") {
  TempDir dir;
  auto store = Store::open(dir / "db");
  ExportConfirms a(*store, store->connector_id("A")), b(*store, store->connector_id("B"));
  ExportConfirm c{"cn=x", {{"mail", IDSYNC_VALUE_STRING, {"x@y"}}}, 7};
  rocksdb::WriteBatch batch;
  a.put(batch, "x", c);
  store->write(batch);
  CHECK(a.get("x") == c);
  CHECK_FALSE(b.get("x"));
  batch.Clear();
  a.remove(batch, "x");
  store->write(batch);
  CHECK_FALSE(a.get("x"));
}
