// The source-health guard: a complete full import whose deletes exceed the connector's limit
// stages none of them, keeps the watermark and stops with stopped-source-health; a rerun
// stops again the same way, or, allowed once, stages them. Provisional anchors are never
// deleted nor counted.
#include "importer/source_health.hpp"

#include <catch2/catch.hpp>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "record_source.hpp"
#include "store/codec.hpp"
#include "store/provisional_anchor.hpp"
#include "support/temp_dir.hpp"

using namespace idsync;
using common::DeleteLimit;
using idsync::testing::import_records;
using idsync::testing::person;
using idsync::testing::RecordSource;
using idsync::testing::settle;
using idsync::testing::TempDir;

namespace {

std::string anchor_of(int i) { return "p" + std::to_string(100 + i); }

// A full import of persons p100.. (`count` of them, from `first`), in pages of 4.
RecordSource people(int count, int first = 0) {
  RecordSource source;
  for (int i = first; i < first + count; ++i) {
    if ((i - first) % 4 == 0) source.pages.emplace_back();
    source.pages.back().push_back(person(anchor_of(i), {"mail", anchor_of(i) + "@example.com"}));
  }
  source.watermark = "wm-" + std::to_string(count);
  return source;
}

importer::ImportStepOptions full_import(DeleteLimit limit, bool allow = false) {
  importer::ImportStepOptions options;
  options.full_import_delete_limit = limit;
  options.allow_deletes_once = allow;
  options.run_profile = "Full Import";
  return options;
}

// A connector space of `count` synced persons, imported with watermark "wm-<count>".
void seed(store::Store& st, int count) {
  RecordSource source = people(count);
  REQUIRE(import_records(st, source).status == "success");
  settle(st);
}

// How many objects of the connector space have each pending change (as an admin sees it).
std::map<std::string, int> pending_counts(store::Store& st) {
  std::map<std::string, int> out;
  const uint32_t id = st.connector_id("HR");
  const bool synced = store::ProgressRecords(st, id).synced_once();
  store::ConnectorSpace(st, id).for_each([&](const store::CsObject& o) {
    ++out[std::string(store::to_string(store::as_shown(o, synced).pending))];
    return true;
  });
  return out;
}

std::optional<std::string> watermark(store::Store& st) {
  return store::ProgressRecords(st, st.connector_id("HR")).watermark();
}

// An object outbound sync provisioned, not yet exported.
std::string put_provisional(store::Store& st, const std::string& unique) {
  store::CsObject o;
  o.anchor = store::make_provisional_anchor(unique);
  o.object_type = "person";
  o.pending = store::PendingChange::add;
  o.attributes.push_back({"mail", IDSYNC_VALUE_STRING, {unique + "@example.com"}});
  std::string v;
  store::encode_cs_object(o, v);
  rocksdb::WriteBatch batch;
  batch.Put(st.family(store::Family::cs),
            store::ConnectorSpace(st, st.connector_id("HR")).object_key(o.anchor), v);
  st.write(batch);
  return o.anchor;
}

}  // namespace

TEST_CASE("a delete limit is exceeded strictly above it, never on an empty space",
          "[source-health]") {
  CHECK_FALSE(DeleteLimit::count(3).exceeded_by(3, 10));
  CHECK(DeleteLimit::count(3).exceeded_by(4, 10));
  CHECK(DeleteLimit::count(0).exceeded_by(1, 1));
  CHECK_FALSE(DeleteLimit::count(0).exceeded_by(0, 0));
  CHECK_FALSE(DeleteLimit::count(0).exceeded_by(0, 5));
  CHECK(DeleteLimit::share(50).allowed(10) == 5);
  CHECK(DeleteLimit::share(50).allowed(3) == 1);  // rounds down
  CHECK_FALSE(DeleteLimit::share(50).exceeded_by(5, 10));
  CHECK(DeleteLimit::share(50).exceeded_by(6, 10));
  CHECK(DeleteLimit::share(50).exceeded_by(2, 3));
  CHECK_FALSE(DeleteLimit::share(100).exceeded_by(10, 10));
  CHECK(DeleteLimit::share(1).exceeded_by(2, 199));
  CHECK_FALSE(DeleteLimit::share(1).exceeded_by(1, 199));
  // Large spaces: no overflow in the arithmetic.
  CHECK(DeleteLimit::share(100).allowed(UINT64_MAX) == UINT64_MAX);
  CHECK(DeleteLimit::share(50).allowed(UINT64_MAX) == UINT64_MAX / 2);
}

TEST_CASE("the guard stops a full import one delete above a count limit, not at it",
          "[source-health]") {
  TempDir dir;
  auto st = store::Store::open(dir / "db");
  seed(*st, 10);
  SECTION("at the limit the deletes are staged") {
    RecordSource source = people(7);  // 3 missing
    auto r = import_records(*st, source, full_import(DeleteLimit::count(3)));
    CHECK(r.status == "success");
    CHECK(r.counters.deletes == 3);
    CHECK(pending_counts(*st) == std::map<std::string, int>{{"delete", 3}, {"none", 7}});
    CHECK(watermark(*st) == std::string("wm-7"));
  }
  SECTION("one above it nothing is deleted") {
    RecordSource source = people(6);  // 4 missing
    auto r = import_records(*st, source, full_import(DeleteLimit::count(3)));
    CHECK(r.status == importer::kStoppedSourceHealth);
    CHECK_FALSE(r.ok());
    CHECK(r.counters.deletes == 0);
    CHECK(r.counters.unchanged == 6);
    CHECK(pending_counts(*st) == std::map<std::string, int>{{"none", 10}});
    CHECK(r.message ==
          "this full import would delete 4 of the 10 objects in the connector space (40.0%), more "
          "than the full_import_delete_limit of 3: the source may be broken, so no deletes were "
          "staged and the watermark is unchanged. Check the source; if the deletes are right, "
          "`idsync run-profile --connector HR --profile \"Full Import\" --allow-deletes` stages "
          "them once");
  }
}

TEST_CASE("the guard takes a percentage of the connector space", "[source-health]") {
  TempDir dir;
  auto st = store::Store::open(dir / "db");
  seed(*st, 10);
  SECTION("50% of 10 allows 5") {
    RecordSource source = people(5);
    auto r = import_records(*st, source, full_import(DeleteLimit::share(50)));
    CHECK(r.status == "success");
    CHECK(r.counters.deletes == 5);
  }
  SECTION("and stops at 6") {
    RecordSource source = people(4);
    auto r = import_records(*st, source, full_import(DeleteLimit::share(50)));
    CHECK(r.status == importer::kStoppedSourceHealth);
    CHECK(r.message.find("would delete 6 of the 10 objects in the connector space (60.0%), more "
                         "than the full_import_delete_limit of 50% (5 objects)") !=
          std::string::npos);
  }
  SECTION("which is the default") {
    RecordSource source = people(4);
    CHECK(import_records(*st, source).status == importer::kStoppedSourceHealth);
  }
  SECTION("an empty source trips it") {
    RecordSource empty;
    auto r = import_records(*st, empty, full_import(DeleteLimit::share(50)));
    CHECK(r.status == importer::kStoppedSourceHealth);
    CHECK(r.message.find("would delete 10 of the 10 objects") != std::string::npos);
  }
}

TEST_CASE("an import held back keeps what it staged and the state before it", "[source-health]") {
  TempDir dir;
  auto st = store::Store::open(dir / "db");
  seed(*st, 10);
  const uint32_t id = st->connector_id("HR");

  RecordSource source = people(3);  // 7 missing
  source.pages[0][0].attributes[0].values = {"changed@example.com"};
  source.pages[0].push_back(person("new", {"mail", "new@example.com"}));
  auto r = import_records(*st, source);
  REQUIRE(r.status == importer::kStoppedSourceHealth);
  // The pages are real changes: the update and the add are staged; nothing is deleted.
  CHECK(r.counters.updates == 1);
  CHECK(r.counters.adds == 1);
  CHECK(pending_counts(*st) == std::map<std::string, int>{{"add", 1}, {"none", 9}, {"update", 1}});
  // The import did not complete: the watermark is the last complete import's, and nothing is
  // left in progress, so the next run reads the whole source again.
  CHECK(watermark(*st) == std::string("wm-10"));
  CHECK_FALSE(store::ProgressRecords(*st, id).in_progress());
  CHECK(r.message.find("7 of the 11 objects") != std::string::npos);

  SECTION("a rerun stops again the same way") {
    auto again = import_records(*st, source);
    CHECK(again.status == importer::kStoppedSourceHealth);
    CHECK_FALSE(again.resumed);
    CHECK(again.message == r.message);
    CHECK(pending_counts(*st) ==
          std::map<std::string, int>{{"add", 1}, {"none", 9}, {"update", 1}});
    CHECK(watermark(*st) == std::string("wm-10"));
  }
  SECTION("a rerun allowed once stages the deletes") {
    auto allowed = import_records(*st, source, full_import(DeleteLimit::share(50), true));
    CHECK(allowed.status == "success");
    CHECK(allowed.counters.deletes == 7);
    CHECK(pending_counts(*st) ==
          std::map<std::string, int>{{"add", 1}, {"delete", 7}, {"none", 2}, {"update", 1}});
    CHECK(watermark(*st) == std::string("wm-3"));
    SECTION("and the next import, not allowed, has nothing left to hold back") {
      auto next = import_records(*st, source);
      CHECK(next.status == "success");
      CHECK(next.counters.deletes == 0);
    }
  }
  SECTION("a repaired source completes the rerun") {
    RecordSource repaired = people(10);
    auto fixed = import_records(*st, repaired);
    CHECK(fixed.status == "success");
    CHECK(fixed.counters.deletes == 1);  // "new" is gone again
    CHECK(watermark(*st) == std::string("wm-10"));
  }
}

TEST_CASE("an incomplete full import stages no deletes, so the guard has nothing to count",
          "[source-health]") {
  TempDir dir;
  auto st = store::Store::open(dir / "db");
  seed(*st, 10);
  RecordSource partial = people(2);
  partial.all_results = false;
  auto r = import_records(*st, partial, full_import(DeleteLimit::count(0)));
  CHECK(r.status == "completed-warnings");
  CHECK(pending_counts(*st) == std::map<std::string, int>{{"none", 10}});
}

TEST_CASE("provisional anchors are never deleted by a full import nor counted", "[source-health]") {
  TempDir dir;
  auto st = store::Store::open(dir / "db");
  seed(*st, 4);
  std::vector<std::string> provisional;
  for (const char* unique : {"mv-1", "mv-2", "mv-3", "mv-4"})
    provisional.push_back(put_provisional(*st, unique));
  const store::ConnectorSpace cs(*st, st->connector_id("HR"));

  SECTION("not as missing objects") {
    // Every real object is seen: with a limit of 0, one provisional anchor counted would stop it.
    RecordSource source = people(4);
    auto r = import_records(*st, source, full_import(DeleteLimit::count(0)));
    CHECK(r.status == "success");
    CHECK(r.counters.deletes == 0);
  }
  SECTION("nor among the objects a percentage is taken of") {
    // 3 of the 4 real objects are missing: 75%, over 50%. Counting the 4 provisional objects
    // would make it 3 of 8, under it.
    RecordSource source = people(1);
    auto r = import_records(*st, source, full_import(DeleteLimit::share(50)));
    CHECK(r.status == importer::kStoppedSourceHealth);
    CHECK(r.message.find("would delete 3 of the 4 objects") != std::string::npos);
  }
  SECTION("nor when the deletes are staged") {
    RecordSource empty;
    auto r = import_records(*st, empty, full_import(DeleteLimit::share(50), true));
    CHECK(r.status == "success");
    CHECK(r.counters.deletes == 4);
  }
  for (const auto& anchor : provisional) {
    auto o = cs.get(anchor);
    REQUIRE(o);
    CHECK(o->pending == store::PendingChange::add);
  }
}

TEST_CASE("the message quotes names only when a shell needs it", "[source-health]") {
  const importer::MissingObjects missing{6, 10};
  const auto command = [&](const std::string& connector, const std::string& profile) {
    const std::string m =
        importer::source_health_message(missing, DeleteLimit::share(50), connector, profile);
    return m.substr(m.find('`'));
  };
  CHECK(command("HR", "Full") ==
        "`idsync run-profile --connector HR --profile Full --allow-deletes` stages them once");
  CHECK(command("AD forest", "Full Import") ==
        "`idsync run-profile --connector \"AD forest\" --profile \"Full Import\" "
        "--allow-deletes` stages them once");
  CHECK(command("HR", "it's $full") ==
        "`idsync run-profile --connector HR --profile 'it'\\''s $full' --allow-deletes` stages "
        "them once");
}
