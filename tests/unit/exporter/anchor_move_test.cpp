// A provisioned object's ADD under a provisional anchor: sent without an anchor, and moved,
// with its links, to the anchor the connected system assigned.
#include <catch2/catch.hpp>

#include "exporter/provisional_anchor.hpp"
#include "fixtures.hpp"
#include "scripted_connector.hpp"
#include "store/add_named_anchors.hpp"
#include "store/codec.hpp"
#include "store/connector_space.hpp"
#include "store/dirty_attributes.hpp"
#include "store/links.hpp"
#include "store/mv_object.hpp"
#include "store/reference_waits.hpp"
#include "support/temp_dir.hpp"

using namespace idsync;
using namespace idsync::exporter::test;
using idsync::testing::TempDir;
using store::ExportKind;

TEST_CASE("an add under a provisional anchor moves the CS object to the assigned anchor") {
  TempDir dir;
  auto st = store::Store::open(dir / "db");
  const uint32_t id = st->connector_id(kConnector);
  const std::string provisional = exporter::make_provisional_anchor("mv-7");
  REQUIRE(exporter::is_provisional_anchor(provisional));
  CHECK_FALSE(exporter::is_provisional_anchor("guid-1"));
  {
    // What provisioning leaves: the CS object, its DN index, its link, the pending add.
    store::ConnectorSpace cs(*st, id);
    rocksdb::WriteBatch b;
    std::string v;
    store::encode_cs_object({provisional,
                             "person",
                             "cn=new",
                             "",
                             store::PendingChange::none,
                             {},
                             {{"cn", IDSYNC_VALUE_STRING, {"New"}}},
                             {}},
                            v);
    b.Put(st->family(store::Family::cs), cs.object_key(provisional), v);
    b.Put(st->family(store::Family::cs_dn), cs.dn_key("cn=new"), provisional);
    store::Links(*st).link(b, id, provisional, 7);
    st->write(b);
  }
  put_pending(*st, provisional, pending(ExportKind::add, "cn=new", {delta("cn", {"New"})}));

  Script sc;
  const auto type = scripted_type();
  const auto r = exporter::run_export(*st, kConnector, type, handle(sc), options());
  REQUIRE(r.status == "success");
  REQUIRE(sc.all_ops().size() == 1);
  CHECK(sc.all_ops()[0].anchor.empty());  // the system assigns it

  const std::string real = "guid-cn=new";
  store::ConnectorSpace cs(*st, id);
  CHECK_FALSE(cs.get(provisional));
  const auto moved = cs.get(real);
  REQUIRE(moved);
  CHECK(moved->dn == "cn=new");
  CHECK(moved->attributes.size() == 1);
  CHECK(cs.anchor_by_dn("cn=new") == real);
  const store::Links links(*st);
  CHECK(links.mv_of(id, real) == uint64_t{7});
  CHECK_FALSE(links.mv_of(id, provisional));
  CHECK(links.anchor_of(7, id) == real);
  const auto confirms = all_confirms(*st);
  CHECK(confirms.size() == 1);
  CHECK(confirms.count(real) == 1);
  CHECK(all_pending(*st).empty());
}

TEST_CASE("a DN-less object's assigned anchor wakes the references that waited for it") {
  // A group (MV 9) provisioned with its member (MV 7) in a system without DNs: the member has
  // no name until its add returns the anchor, so the group's reference to it waits.
  TempDir dir;
  auto st = store::Store::open(dir / "db");
  const uint32_t id = st->connector_id(kConnector);
  const std::string provisional = exporter::make_provisional_anchor("mv-7");
  {
    store::ConnectorSpace cs(*st, id);
    rocksdb::WriteBatch b;
    std::string v;
    store::encode_cs_object({provisional, "user", "", "", store::PendingChange::none, {}, {}, {}},
                            v);
    b.Put(st->family(store::Family::cs), cs.object_key(provisional), v);
    store::Links(*st).link(b, id, provisional, 7);
    store::ReferenceWaits(*st).wait(b, store::ReferenceWaits::outbound_target(id, 7),
                                    store::mv_key(9));
    st->write(b);
  }
  put_pending(*st, provisional, pending(ExportKind::add, "", {delta("cn", {"New"})}));
  CHECK_FALSE(store::DirtyAttributes(*st).get(9));

  Script sc;
  const auto type = scripted_type();
  REQUIRE(exporter::run_export(*st, kConnector, type, handle(sc), options()).status == "success");

  CHECK(store::Links(*st).anchor_of(7, id) == "guid-");
  // The group is marked for the next outbound sync, which can now name its member.
  const auto mark = store::DirtyAttributes(*st).get(9);
  REQUIRE(mark);
  CHECK(mark->object);
  rocksdb::WriteBatch b;
  CHECK(store::ReferenceWaits(*st).take(b, store::ReferenceWaits::outbound_target(id, 7)).empty());
}

TEST_CASE("an add under a computed anchor is sent with it and stays there") {
  TempDir dir;
  auto st = store::Store::open(dir / "db");
  put_pending(*st, "uid-1", pending(ExportKind::add, "cn=one", {delta("cn", {"One"})}));
  Script sc;
  const auto type = scripted_type();
  REQUIRE(exporter::run_export(*st, kConnector, type, handle(sc), options()).ok());
  CHECK(sc.all_ops()[0].anchor == "uid-1");
  CHECK(all_confirms(*st).count("uid-1") == 1);
}

TEST_CASE("adds of one batch move together; one whose assigned anchor is taken stays put") {
  TempDir dir;
  auto st = store::Store::open(dir / "db");
  const uint32_t id = st->connector_id(kConnector);
  store::ConnectorSpace cs(*st, id);
  auto provision = [&](const std::string& dn, uint64_t mv) {
    const std::string anchor = exporter::make_provisional_anchor("mv-" + std::to_string(mv));
    rocksdb::WriteBatch b;
    std::string v;
    store::encode_cs_object({anchor,
                             "person",
                             dn,
                             "",
                             store::PendingChange::none,
                             {},
                             {{"cn", IDSYNC_VALUE_STRING, {dn}}},
                             {}},
                            v);
    b.Put(st->family(store::Family::cs), cs.object_key(anchor), v);
    b.Put(st->family(store::Family::cs_dn), cs.dn_key(dn), anchor);
    store::Links(*st).link(b, id, anchor, mv);
    st->write(b);
    put_pending(*st, anchor, pending(ExportKind::add, dn, {delta("cn", {dn})}));
    return anchor;
  };
  const std::string a = provision("cn=a", 1), b = provision("cn=b", 2), c = provision("cn=c", 3);
  {
    // An import saw cn=b's object before the export's result was stored.
    rocksdb::WriteBatch w;
    std::string v;
    store::encode_cs_object(
        {"guid-cn=b", "person", "cn=b", "", store::PendingChange::none, {}, {}, {}}, v);
    w.Put(st->family(store::Family::cs), cs.object_key("guid-cn=b"), v);
    st->write(w);
  }
  Script sc;
  const auto type = scripted_type();
  REQUIRE(exporter::run_export(*st, kConnector, type, handle(sc), options()).ok());
  REQUIRE(sc.all_ops().size() == 3);
  const store::Links links(*st);
  CHECK(links.anchor_of(1, id) == "guid-cn=a");
  CHECK(links.anchor_of(3, id) == "guid-cn=c");
  CHECK_FALSE(cs.get(a));
  CHECK_FALSE(cs.get(c));
  // cn=b keeps its provisional anchor and link; the object the import saw is left as it was.
  CHECK(links.anchor_of(2, id) == b);
  REQUIRE(cs.get(b));
  CHECK(cs.get("guid-cn=b")->attributes.empty());
  CHECK(all_pending(*st).empty());
}

namespace {

// What provisioning under a final anchor leaves (a connector that files an ADD of a person
// under its uid): the placeholder awaiting its add, its link to MV object 7, its pending add
// carrying `uid`.
void put_placeholder(store::Store& st, uint32_t id, const std::string& anchor,
                     const std::string& uid) {
  store::write_add_named_anchors(st, id, store::AddNamedAnchors({{"person", "uid"}}));
  store::CsObject o;
  o.anchor = anchor;
  o.object_type = "person";
  o.dn = "cn=new";
  o.awaiting_add = true;
  std::string v;
  store::encode_cs_object(o, v);
  rocksdb::WriteBatch b;
  b.Put(st.family(store::Family::cs), store::ConnectorSpace(st, id).object_key(anchor), v);
  store::Links(st).link(b, id, anchor, 7);
  st.write(b);
  put_pending(st, anchor,
              pending(ExportKind::add, "cn=new", {delta("cn", {"New"}), delta("uid", {uid})}));
}

}  // namespace

TEST_CASE("an add staged under its final anchor is sent with it and confirmed where it waits") {
  TempDir dir;
  auto st = store::Store::open(dir / "db");
  const uint32_t id = st->connector_id(kConnector);
  put_placeholder(*st, id, "E1", "E1");
  Script sc;
  const auto type = scripted_type();
  REQUIRE(exporter::run_export(*st, kConnector, type, handle(sc), options()).status == "success");
  REQUIRE(sc.all_ops().size() == 1);
  CHECK(sc.all_ops()[0].anchor == "E1");
  const auto o = store::ConnectorSpace(*st, id).get("E1");
  REQUIRE(o);
  CHECK_FALSE(o->awaiting_add);  // in the system now: a full import may miss it, a delete goes
  CHECK(o->dn == "cn=new");
  CHECK(store::Links(*st).anchor_of(7, id) == "E1");
  CHECK(all_confirms(*st).count("E1") == 1);
  CHECK(all_pending(*st).empty());
}

TEST_CASE("an add whose uid changed after provisioning is filed by the system, and moved there") {
  TempDir dir;
  auto st = store::Store::open(dir / "db");
  const uint32_t id = st->connector_id(kConnector);
  put_placeholder(*st, id, "E1", "E9");
  Script sc;
  const auto type = scripted_type();
  REQUIRE(exporter::run_export(*st, kConnector, type, handle(sc), options()).status == "success");
  REQUIRE(sc.all_ops().size() == 1);
  CHECK(sc.all_ops()[0].anchor.empty());  // the ADD's uid decides, not the stale anchor
  const store::ConnectorSpace cs(*st, id);
  CHECK_FALSE(cs.get("E1"));
  const auto moved = cs.get("guid-cn=new");
  REQUIRE(moved);
  CHECK_FALSE(moved->awaiting_add);
  CHECK(store::Links(*st).anchor_of(7, id) == "guid-cn=new");
  CHECK(all_confirms(*st).count("guid-cn=new") == 1);
}
