// What protects the connected system: the deletion threshold, staging mode, cancellation, and
// an interrupted export that continues where it stopped without resending or losing anything.
#include <catch2/catch.hpp>

#include "exporter/export_progress.hpp"
#include "fixtures.hpp"
#include "scripted_connector.hpp"
#include "store/codec.hpp"
#include "store/connector_space.hpp"
#include "support/temp_dir.hpp"

using namespace idsync;
using namespace idsync::exporter::test;
using idsync::testing::TempDir;
using store::ExportKind;

namespace {

exporter::ExportResult run(store::Store& st, Script& sc, const exporter::ExportStepOptions& o) {
  const auto type = scripted_type();
  return exporter::run_export(st, kConnector, type, handle(sc), o);
}

void three_deletes_and_an_add(store::Store& st) {
  for (std::string a : {"a", "b", "c"}) put_pending(st, a, pending(ExportKind::remove, "cn=" + a));
  put_pending(st, "d", pending(ExportKind::add, "cn=d", {delta("cn", {"D"})}));
}

}  // namespace

TEST_CASE("more deletes than the threshold send nothing until allowed once") {
  TempDir dir;
  auto st = store::Store::open(dir / "db");
  three_deletes_and_an_add(*st);
  Script sc;
  auto o = options();
  o.deletion_threshold = 2;
  auto r = run(*st, sc, o);
  CHECK(r.status == "stopped-deletion-threshold-exceeded");
  CHECK(r.message.find("3 pending deletes exceed the deletion threshold of 2") !=
        std::string::npos);
  CHECK(r.message.find("--allow-deletes") != std::string::npos);
  CHECK(sc.calls == 0);  // not even the add went
  CHECK(r.counters.skipped == 4);
  CHECK(all_pending(*st).size() == 4);
  CHECK_FALSE(r.ok());

  o.deletion_threshold = 3;  // at the threshold is allowed
  Script at;
  CHECK(run(*st, at, o).status == "success");
  CHECK(at.calls == 1);
}

TEST_CASE("allow_deletes_once lets deletes above the threshold through") {
  TempDir dir;
  auto st = store::Store::open(dir / "db");
  three_deletes_and_an_add(*st);
  Script sc;
  auto o = options();
  o.deletion_threshold = 0;
  o.allow_deletes_once = true;
  const auto r = run(*st, sc, o);
  CHECK(r.status == "success");
  CHECK(r.counters.deletes == 3);
  CHECK(all_pending(*st).empty());
}

TEST_CASE("the percentage threshold compares with the connector space's size") {
  TempDir dir;
  auto st = store::Store::open(dir / "db");
  three_deletes_and_an_add(*st);
  {
    store::ConnectorSpace cs(*st, st->connector_id(kConnector));
    rocksdb::WriteBatch b;
    for (std::string a : {"a", "b", "c", "x", "y", "z"}) {
      std::string v;
      store::encode_cs_object({a, "person", "cn=" + a, "", store::PendingChange::none, {}, {}, {}},
                              v);
      b.Put(st->family(store::Family::cs), cs.object_key(a), v);
    }
    st->write(b);
  }
  Script sc;
  auto o = options();
  o.deletion_threshold_percent = 40.0;  // 3 of 6 is 50%
  auto r = run(*st, sc, o);
  CHECK(r.status == "stopped-deletion-threshold-exceeded");
  CHECK(r.message.find("50.0% of 6 objects") != std::string::npos);
  CHECK(sc.calls == 0);
  o.deletion_threshold_percent = 50.0;
  CHECK(run(*st, sc, o).status == "success");
}

TEST_CASE("staging mode sends nothing and says what would have gone") {
  TempDir dir;
  auto st = store::Store::open(dir / "db");
  three_deletes_and_an_add(*st);
  Script sc;
  auto o = options();
  o.staging_mode = true;
  o.deletion_threshold = 0;  // staging wins: nothing is sent anyway
  const auto r = run(*st, sc, o);
  CHECK(r.status == "success");
  CHECK(r.message == "staging mode: 4 pending exports not sent");
  CHECK(r.counters.deletes == 3);
  CHECK(r.counters.adds == 1);
  CHECK(r.counters.skipped == 4);
  CHECK(sc.calls == 0);
  CHECK(all_pending(*st).size() == 4);
  CHECK(all_confirms(*st).empty());
}

TEST_CASE("a stopped export continues after its last committed batch, as if never stopped") {
  auto fill = [](store::Store& st) {
    for (int i = 0; i < 7; ++i) {
      const std::string a = "p" + std::to_string(i);
      put_pending(st, a, pending(ExportKind::add, "cn=" + a, {delta("cn", {a})}));
    }
  };
  auto script = [](Script& sc) {
    sc.fail["cn=p1"] = {IDSYNC_ERROR, IDSYNC_ERR_INVALID_VALUE, "bad"};
  };

  // The reference: one uninterrupted run.
  TempDir ref_dir;
  auto ref = store::Store::open(ref_dir / "db");
  fill(*ref);
  Script ref_sc;
  script(ref_sc);
  const auto whole = run(*ref, ref_sc, options(2));
  REQUIRE(whole.status == "completed-export-errors");
  REQUIRE(whole.counters.batches == 4);

  TempDir dir;
  auto st = store::Store::open(dir / "db");
  fill(*st);
  std::atomic<bool> cancel{false};
  Script sc;
  script(sc);
  sc.cancel_after = &cancel;
  sc.cancel_after_calls = 2;
  auto o = options(2);
  o.cancel = &cancel;
  auto first = run(*st, sc, o);
  CHECK(first.status == "stopped-user");
  CHECK(sc.calls == 2);
  CHECK(first.counters.batches == 2);
  CHECK(first.counters.skipped == 3);
  const auto progress = exporter::ExportProgressRecord(*st, st->connector_id(kConnector)).get();
  REQUIRE(progress);
  CHECK(progress->checkpoint == "p3");

  cancel = false;
  sc.cancel_after = nullptr;
  auto second = run(*st, sc, o);
  CHECK(second.resumed);
  CHECK(second.status == whole.status);
  CHECK(second.counters == whole.counters);
  // p1 failed in the first part: it is not retried within the same export run.
  CHECK(sc.all_ops().size() == ref_sc.all_ops().size());
  CHECK(all_pending(*st) == all_pending(*ref));
  CHECK(all_confirms(*st) == all_confirms(*ref));
  CHECK(all_pending(*st).at("p1").attempts == 1);
  CHECK_FALSE(exporter::ExportProgressRecord(*st, st->connector_id(kConnector)).get());
}

TEST_CASE("export progress records round-trip and refuse damage") {
  exporter::ExportProgress p;
  p.checkpoint = std::string("a\0b", 3);
  p.started_unix_ms = 42;
  p.counters.adds = 3;
  p.counters.batches = 2;
  std::string v;
  exporter::encode_export_progress(p, v);
  CHECK(exporter::decode_export_progress(v) == p);
  CHECK_THROWS_AS(exporter::decode_export_progress(v + "x"), store::CorruptRecord);
  CHECK_THROWS_AS(exporter::decode_export_progress(v.substr(0, 3)), store::CorruptRecord);
}
