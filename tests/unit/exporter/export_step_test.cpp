// run_export with a scripted connector: what is sent for each kind of pending export, and what
// each result leaves in the store (pending export, error and attempts, confirmation).
#include "exporter/export_step.hpp"

#include <catch2/catch.hpp>

#include "exporter/export_progress.hpp"
#include "fixtures.hpp"
#include "scripted_connector.hpp"
#include "store/codec.hpp"
#include "store/connector_space.hpp"
#include "store/pending_export.hpp"
#include "store/prefix_scan.hpp"
#include "support/temp_dir.hpp"

using namespace idsync;
using namespace idsync::exporter::test;
using idsync::testing::TempDir;
using store::ExportKind;
using store::ValueOp;

namespace {

exporter::ExportResult run(store::Store& st, Script& sc, const exporter::ExportStepOptions& o) {
  const auto type = scripted_type();
  return exporter::run_export(st, kConnector, type, handle(sc), o);
}

void put_cs_object(store::Store& st, const store::CsObject& o) {
  store::ConnectorSpace cs(st, st.connector_id(kConnector));
  std::string v;
  store::encode_cs_object(o, v);
  rocksdb::WriteBatch b;
  b.Put(st.family(store::Family::cs), cs.object_key(o.anchor), v);
  b.Put(st.family(store::Family::cs_dn), cs.dn_key(o.dn), o.anchor);
  st.write(b);
}

}  // namespace

TEST_CASE("adds, updates, deletes and delete-adds are sent with their ops and values") {
  TempDir dir;
  auto st = store::Store::open(dir / "db");
  put_pending(*st, "a",
              pending(ExportKind::add, "cn=a", {delta("cn", {"A"}), delta("mail", {"a@x"})}));
  auto upd = pending(ExportKind::update, "cn=b",
                     {delta("cn", {"B2"}), delta("member", {"x"}, ValueOp::add),
                      delta("member", {"y"}, ValueOp::remove)});
  upd.new_dn = "cn=b2";
  put_pending(*st, "b", upd);
  put_pending(*st, "c", pending(ExportKind::remove, "cn=c"));
  put_pending(*st, "d", pending(ExportKind::remove_add, "cn=d", {delta("cn", {"D"})}));
  // What the connector space last imported of b: the update's add/remove apply to it.
  put_cs_object(*st, {"b",
                      "person",
                      "cn=b",
                      "",
                      store::PendingChange::none,
                      {},
                      {{"member", IDSYNC_VALUE_STRING, {"y", "z"}}},
                      {}});

  Script sc;
  const auto r = run(*st, sc, options());
  CHECK(r.status == "success");
  CHECK(r.message.empty());
  CHECK(r.counters.adds == 2);
  CHECK(r.counters.updates == 1);
  CHECK(r.counters.deletes == 2);
  CHECK(r.counters.errors == 0);
  CHECK(r.counters.batches == 1);
  REQUIRE(sc.calls == 1);

  const auto ops = sc.all_ops();
  REQUIRE(ops.size() == 5);
  CHECK(ops[0].kind == IDSYNC_EXPORT_ADD);
  CHECK(ops[0].anchor == "a");
  CHECK(ops[0].dn == "cn=a");
  CHECK(ops[0].object_type == "person");
  CHECK(ops[0].attributes == std::vector<SentAttr>{{"cn", IDSYNC_ATTR_REPLACE, {"A"}},
                                                   {"mail", IDSYNC_ATTR_REPLACE, {"a@x"}}});
  CHECK(ops[1].kind == IDSYNC_EXPORT_UPDATE);
  CHECK(ops[1].new_dn == "cn=b2");
  CHECK(ops[1].attributes == std::vector<SentAttr>{{"cn", IDSYNC_ATTR_REPLACE, {"B2"}},
                                                   {"member", IDSYNC_ATTR_ADD, {"x"}},
                                                   {"member", IDSYNC_ATTR_REMOVE, {"y"}}});
  CHECK(ops[2].kind == IDSYNC_EXPORT_DELETE);
  CHECK(ops[2].anchor == "c");
  CHECK(ops[2].attributes.empty());
  // A delete-add is a DELETE then an ADD of the same object, adjacent.
  CHECK(ops[3].kind == IDSYNC_EXPORT_DELETE);
  CHECK(ops[3].anchor == "d");
  CHECK(ops[4].kind == IDSYNC_EXPORT_ADD);
  CHECK(ops[4].anchor == "d");
  CHECK(ops[4].attributes == std::vector<SentAttr>{{"cn", IDSYNC_ATTR_REPLACE, {"D"}}});
  std::set<uint64_t> ids;
  for (const auto& o : ops) ids.insert(o.op_id);
  CHECK(ids.size() == 5);

  CHECK(all_pending(*st).empty());
  const auto confirms = all_confirms(*st);
  REQUIRE(confirms.size() == 3);  // a, b, d: a delete leaves no confirmation
  CHECK(confirms.at("a").dn == "cn=a");
  CHECK(confirms.at("a").when_unix_ms == kNow);
  CHECK(confirms.at("a").attributes ==
        std::vector<store::Attribute>{{"cn", IDSYNC_VALUE_STRING, {"A"}},
                                      {"mail", IDSYNC_VALUE_STRING, {"a@x"}}});
  CHECK(confirms.at("b").dn == "cn=b2");
  CHECK(confirms.at("b").attributes ==
        std::vector<store::Attribute>{{"cn", IDSYNC_VALUE_STRING, {"B2"}},
                                      {"member", IDSYNC_VALUE_STRING, {"z", "x"}}});
  CHECK(confirms.at("d").attributes ==
        std::vector<store::Attribute>{{"cn", IDSYNC_VALUE_STRING, {"D"}}});
  CHECK_FALSE(exporter::ExportProgressRecord(*st, st->connector_id(kConnector)).get());
}

TEST_CASE("a failing op keeps its pending export with the error; the others are confirmed") {
  TempDir dir;
  auto st = store::Store::open(dir / "db");
  put_pending(*st, "a", pending(ExportKind::add, "cn=a", {delta("cn", {"A"})}));
  put_pending(*st, "b", pending(ExportKind::add, "cn=b", {delta("cn", {"B"})}));
  put_pending(*st, "c", pending(ExportKind::update, "cn=c", {delta("cn", {"C"})}));
  Script sc;
  sc.fail["cn=b"] = {IDSYNC_ERROR, IDSYNC_ERR_INVALID_VALUE, "cn is too long"};
  sc.fail["cn=c"] = {IDSYNC_RETRY, IDSYNC_ERR_TIMEOUT, "busy"};

  auto r = run(*st, sc, options());
  CHECK(r.status == "completed-export-errors");
  CHECK(r.message.find("2 pending exports failed") != std::string::npos);
  CHECK(r.message.find("cn=b: cn is too long") != std::string::npos);
  CHECK(r.counters.adds == 1);
  CHECK(r.counters.errors == 2);
  CHECK_FALSE(r.ok());

  auto left = all_pending(*st);
  REQUIRE(left.size() == 2);
  const auto& b = left.at("b");
  CHECK(b.attempts == 1);
  REQUIRE(b.last_error);
  CHECK(b.last_error->status == IDSYNC_ERROR);
  CHECK(b.last_error->kind == IDSYNC_ERR_INVALID_VALUE);
  CHECK(b.last_error->message == "cn is too long");
  CHECK(b.last_error->when_unix_ms == kNow);
  CHECK(b.attributes == pending(ExportKind::add, "cn=b", {delta("cn", {"B"})}).attributes);
  REQUIRE(left.at("c").last_error);
  CHECK(left.at("c").last_error->status == IDSYNC_RETRY);  // RETRY is kept like ERROR
  CHECK(left.at("c").attempts == 1);
  const auto confirms = all_confirms(*st);
  CHECK(confirms.size() == 1);
  CHECK(confirms.count("a") == 1);

  SECTION("the next export retries them, and success clears them") {
    sc.fail.clear();
    r = run(*st, sc, options());
    CHECK(r.status == "success");
    CHECK(r.counters.retried == 2);
    CHECK(r.counters.adds == 1);
    CHECK(r.counters.updates == 1);
    CHECK(sc.batches.back().size() == 2);  // only the two failed ones are sent again
    CHECK(all_pending(*st).empty());
    CHECK(all_confirms(*st).size() == 3);
  }
  SECTION("a second failure counts a second attempt") {
    r = run(*st, sc, options());
    CHECK(all_pending(*st).at("b").attempts == 2);
  }
}

TEST_CASE("a batch the connector cannot attempt keeps everything and stops the step") {
  TempDir dir;
  auto st = store::Store::open(dir / "db");
  for (std::string a : {"a", "b", "c", "d"})
    put_pending(*st, a, pending(ExportKind::add, "cn=" + a, {delta("cn", {a})}));
  Script sc;
  sc.batch_status = IDSYNC_ERROR;
  sc.batch_kind = IDSYNC_ERR_CONNECTION;
  const auto r = run(*st, sc, options(2));
  CHECK(r.status == "stopped-connectivity");
  CHECK(r.error_kind == IDSYNC_ERR_CONNECTION);
  CHECK(r.message.find("cannot reach the server") != std::string::npos);
  CHECK(sc.calls == 1);  // no second batch to a server that is down
  CHECK(r.counters.errors == 2);
  CHECK(r.counters.skipped == 2);
  const auto left = all_pending(*st);
  REQUIRE(left.size() == 4);
  CHECK(left.at("a").attempts == 1);
  REQUIRE(left.at("a").last_error);
  CHECK(left.at("a").last_error->kind == IDSYNC_ERR_CONNECTION);
  CHECK(left.at("c").attempts == 0);  // never sent
  CHECK(all_confirms(*st).empty());
}

TEST_CASE("a damaged pending export stops the step; the batch already sent keeps its results") {
  TempDir dir;
  auto st = store::Store::open(dir / "db");
  for (std::string a : {"a", "b", "c"})
    put_pending(*st, a, pending(ExportKind::add, "cn=" + a, {delta("cn", {a})}));
  // "d" has a value operation no build writes: the walk fails on it while {a, b} is with the
  // connector (the count before the walk reads only what it needs, and passes it).
  std::string damaged;
  store::encode_pending_export(pending(ExportKind::add, "cn=d", {delta("cn", {"d"})}), damaged);
  const size_t name = damaged.find(std::string(1, '\x02') + "cn");  // length, then the name
  REQUIRE(name != std::string::npos);
  damaged[name + 4] = 9;  // after the name and the value type
  rocksdb::WriteBatch b;
  b.Put(st->family(store::Family::pending_export),
        store::connector_prefix(st->connector_id(kConnector)) + "d", damaged);
  st->write(b);

  Script sc;
  const auto r = run(*st, sc, options(2));
  CHECK(r.status == "stopped-store-error");
  CHECK(r.message.find("value operation") != std::string::npos);
  CHECK(sc.calls == 1);  // {c, d} never went out
  CHECK(r.counters.adds == 2);
  const auto confirms = all_confirms(*st);
  CHECK(confirms.size() == 2);
  CHECK(confirms.count("a") == 1);
  CHECK(confirms.count("b") == 1);
  const auto progress = exporter::ExportProgressRecord(*st, st->connector_id(kConnector)).get();
  REQUIRE(progress);
  CHECK(progress->checkpoint == "b");
}

TEST_CASE("a delete-add whose delete succeeded but add failed stays as an add") {
  TempDir dir;
  auto st = store::Store::open(dir / "db");
  put_pending(*st, "d", pending(ExportKind::remove_add, "cn=d", {delta("cn", {"D"})}));
  put_pending(*st, "e", pending(ExportKind::remove_add, "cn=e", {delta("cn", {"E"})}));
  Script sc;
  sc.fail_add["cn=d"] = {IDSYNC_ERROR, IDSYNC_ERR_ALREADY_EXISTS, "still there"};
  sc.fail["cn=e"] = {IDSYNC_ERROR, IDSYNC_ERR_PERMISSION, "denied"};
  const auto r = run(*st, sc, options());
  CHECK(r.status == "completed-export-errors");
  CHECK(r.counters.deletes == 1);
  CHECK(r.counters.errors == 2);
  const auto left = all_pending(*st);
  REQUIRE(left.size() == 2);
  CHECK(left.at("d").kind == ExportKind::add);  // the old object is gone: only the create is left
  CHECK(left.at("d").last_error->message == "still there");
  CHECK(left.at("e").kind == ExportKind::remove_add);  // neither half done
  CHECK(left.at("e").last_error->message == "denied");
  CHECK(all_confirms(*st).empty());
}

TEST_CASE("a connector without export is refused") {
  TempDir dir;
  auto st = store::Store::open(dir / "db");
  auto type = scripted_type();
  type.export_batch = nullptr;
  Script sc;
  const auto r = exporter::run_export(*st, kConnector, type, handle(sc), options());
  CHECK(r.status == "stopped-unsupported");
}
