// exported-change-not-reimported: an import compares each object it stages with what the last
// export to it sent (export_confirm), warns once per object that does not hold it, and drops
// the confirmation in the page's batch.
#include "importer/export_check.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "record_source.hpp"
#include "store/export_confirm.hpp"
#include "store/run_history.hpp"
#include "support/temp_dir.hpp"

using namespace idsync;
using idsync::testing::delta_import;
using idsync::testing::import_records;
using idsync::testing::person;
using idsync::testing::RecordSource;
using idsync::testing::settle;
using idsync::testing::TempDir;
using Issues = std::vector<store::ObjectIssue>;

namespace {

RecordSource source_of(std::vector<importer::ImportRecord> records) {
  RecordSource source;
  source.pages.push_back(std::move(records));
  return source;
}

// Connector HR holding person a (mail, title), as a first full import stages it.
void seed(store::Store& st) {
  RecordSource source = source_of({person("a", {"mail", "a@example.com", "title", "Clerk"})});
  REQUIRE(import_records(st, source).status == "success");
}

store::Attribute attr(std::string name, std::vector<std::string> values) {
  return {std::move(name), IDSYNC_VALUE_STRING, std::move(values)};
}

void confirm(store::Store& st, const std::string& anchor, std::vector<store::Attribute> attributes,
             std::string dn = {}) {
  store::ExportConfirm c;
  c.dn = std::move(dn);
  c.attributes = std::move(attributes);
  c.when_unix_ms = 1;
  rocksdb::WriteBatch batch;
  store::ExportConfirms(st, st.connector_id("HR")).put(batch, anchor, c);
  st.write(batch);
}

bool confirmation_left(store::Store& st, const std::string& anchor) {
  return store::ExportConfirms(st, st.connector_id("HR")).get(anchor).has_value();
}

store::ObjectIssue issue(std::string anchor, std::string message) {
  return {std::move(anchor), importer::kNotReimportedIssue, std::move(message)};
}

// A record with one multi-valued attribute.
importer::ImportRecord with_values(std::string anchor, std::string name,
                                   std::vector<std::string> values) {
  importer::ImportRecord r = person(std::move(anchor), {});
  r.attributes.push_back({std::move(name), IDSYNC_VALUE_STRING, IDSYNC_ATTR_REPLACE, values});
  return r;
}

}  // namespace

TEST_CASE("an import that sees what was exported drops the confirmation quietly",
          "[export-check]") {
  TempDir dir;
  auto st = store::Store::open(dir / "db");
  seed(*st);
  confirm(*st, "a", {attr("mail", {"a@example.com"})}, "cn=a");
  // The object is unchanged: the import's fast path for unchanged objects must check it too.
  RecordSource same = source_of({person("a", {"mail", "a@example.com", "title", "Clerk"})});
  auto r = import_records(*st, same);
  CHECK(r.status == "success");
  CHECK(r.message.empty());
  CHECK(r.counters.unchanged == 1);
  CHECK(r.counters.not_reimported == 0);
  CHECK(r.object_issues.empty());
  CHECK_FALSE(confirmation_left(*st, "a"));
}

TEST_CASE("an import that does not see what was exported warns once", "[export-check]") {
  TempDir dir;
  auto st = store::Store::open(dir / "db");
  seed(*st);
  confirm(*st, "a", {attr("mail", {"new@example.com"})});
  RecordSource old = source_of({person("a", {"mail", "a@example.com", "title", "Clerk"})});
  auto r = import_records(*st, old);
  CHECK(r.status == "completed-warnings");
  CHECK(r.ok());
  CHECK(r.counters.not_reimported == 1);
  CHECK(r.object_issues ==
        Issues{issue("a", R"(mail: exported "new@example.com", imported "a@example.com")")});
  CHECK(r.message ==
        "1 object does not hold what the last export sent (exported-change-not-reimported): the "
        "connected system did not apply the export or changed it back since");
  CHECK_FALSE(confirmation_left(*st, "a"));

  auto again = import_records(*st, old);
  CHECK(again.status == "success");
  CHECK(again.object_issues.empty());
}

TEST_CASE("every differing attribute and the DN are named", "[export-check]") {
  TempDir dir;
  auto st = store::Store::open(dir / "db");
  seed(*st);
  confirm(*st, "a", {attr("mail", {"new@example.com"}), attr("phone", {"555"})}, "cn=moved");
  RecordSource old = source_of({person("a", {"mail", "a@example.com", "title", "Clerk"})});
  auto r = import_records(*st, old);
  CHECK(r.counters.not_reimported == 1);  // one object, however many differences
  CHECK(r.object_issues ==
        Issues{issue("a", R"(DN: exported "cn=moved", imported "cn=a"; )"
                          R"(mail: exported "new@example.com", imported "a@example.com"; )"
                          R"(phone: exported "555", imported no value)")});
}

TEST_CASE("only what the confirmation lists is compared, names and DNs ignoring case",
          "[export-check]") {
  TempDir dir;
  auto st = store::Store::open(dir / "db");
  seed(*st);
  confirm(*st, "a", {attr("MAIL", {"a@example.com"})}, "CN=A");
  // title changed since, and is no part of the export.
  RecordSource changed = source_of({person("a", {"Mail", "a@example.com", "title", "Boss"})});
  auto r = import_records(*st, changed);
  CHECK(r.status == "success");
  CHECK(r.counters.updates == 1);
  CHECK(r.counters.not_reimported == 0);
  CHECK_FALSE(confirmation_left(*st, "a"));
}

TEST_CASE("values are compared exactly", "[export-check]") {
  TempDir dir;
  auto st = store::Store::open(dir / "db");
  seed(*st);
  confirm(*st, "a", {attr("mail", {"A@example.com"})});
  RecordSource old = source_of({person("a", {"mail", "a@example.com", "title", "Clerk"})});
  CHECK(import_records(*st, old).counters.not_reimported == 1);
}

TEST_CASE("the order of multi-valued values does not matter", "[export-check]") {
  TempDir dir;
  auto st = store::Store::open(dir / "db");
  RecordSource first = source_of({with_values("g", "member", {"x", "y", "z"})});
  REQUIRE(import_records(*st, first).ok());
  confirm(*st, "g", {attr("member", {"x", "y", "z"})});
  SECTION("the same values in another order") {
    RecordSource reordered = source_of({with_values("g", "member", {"z", "x", "y"})});
    auto r = import_records(*st, reordered);
    CHECK(r.status == "success");
    CHECK(r.counters.not_reimported == 0);
  }
  SECTION("a value missing") {
    RecordSource fewer = source_of({with_values("g", "member", {"z", "x"})});
    auto r = import_records(*st, fewer);
    CHECK(r.status == "completed-warnings");
    CHECK(r.object_issues ==
          Issues{issue("g", R"(member: exported ["x", "y", "z"], imported ["z", "x"])")});
  }
  CHECK_FALSE(confirmation_left(*st, "g"));
}

TEST_CASE("an attribute exported as cleared must be gone", "[export-check]") {
  TempDir dir;
  auto st = store::Store::open(dir / "db");
  seed(*st);
  confirm(*st, "a", {attr("title", {})});
  SECTION("still there") {
    RecordSource old = source_of({person("a", {"mail", "a@example.com", "title", "Clerk"})});
    auto r = import_records(*st, old);
    CHECK(r.object_issues == Issues{issue("a", R"(title: exported no value, imported "Clerk")")});
  }
  SECTION("gone") {
    RecordSource cleared = source_of({person("a", {"mail", "a@example.com"})});
    CHECK(import_records(*st, cleared).counters.not_reimported == 0);
  }
}

TEST_CASE("a delta import checks the objects it stages", "[export-check]") {
  TempDir dir;
  auto st = store::Store::open(dir / "db");
  seed(*st);
  RecordSource b = source_of({person("a", {"mail", "a@example.com", "title", "Clerk"}),
                              person("b", {"mail", "b@example.com"})});
  REQUIRE(import_records(*st, b).ok());
  confirm(*st, "a", {attr("mail", {"new@example.com"})});
  confirm(*st, "b", {attr("title", {"Boss"})});
  // The delta brings a's new mail; b's update carries no title, so b's staged title is still
  // none: b's export did not arrive.
  RecordSource delta = source_of({person("a", {"mail", "new@example.com"}, IDSYNC_CHANGE_UPDATE),
                                  person("b", {"phone", "555"}, IDSYNC_CHANGE_UPDATE)});
  auto r = import_records(*st, delta, delta_import());
  CHECK(r.status == "completed-warnings");
  CHECK(r.counters.updates == 2);
  CHECK(r.object_issues == Issues{issue("b", R"(title: exported "Boss", imported no value)")});
  CHECK_FALSE(confirmation_left(*st, "a"));
  CHECK_FALSE(confirmation_left(*st, "b"));
}

TEST_CASE("an object the import sees deleted loses its confirmation without a warning",
          "[export-check]") {
  TempDir dir;
  auto st = store::Store::open(dir / "db");
  seed(*st);
  RecordSource two = source_of({person("a", {"mail", "a@example.com", "title", "Clerk"}),
                                person("b", {"mail", "b@example.com"})});
  REQUIRE(import_records(*st, two).ok());
  settle(*st);  // synced, so a delete stays staged as a pending delete
  confirm(*st, "a", {attr("mail", {"new@example.com"})});
  confirm(*st, "b", {attr("mail", {"new@example.com"})});
  SECTION("in a delta import") {
    RecordSource gone = source_of({person("a", {}, IDSYNC_CHANGE_DELETE)});
    auto r = import_records(*st, gone, delta_import());
    CHECK(r.status == "success");
    CHECK(r.counters.deletes == 1);
    CHECK(r.object_issues.empty());
    CHECK(store::ConnectorSpace(*st, st->connector_id("HR")).get("a")->pending ==
          store::PendingChange::remove);
    CHECK_FALSE(confirmation_left(*st, "a"));
    CHECK(confirmation_left(*st, "b"));  // not seen: still waiting for an import
  }
  SECTION("missing from a full import") {
    RecordSource only_b = source_of({person("b", {"mail", "new@example.com"})});
    auto r = import_records(*st, only_b);
    CHECK(r.status == "success");
    CHECK(r.counters.deletes == 1);
    CHECK(r.object_issues.empty());
    CHECK_FALSE(confirmation_left(*st, "a"));
    CHECK_FALSE(confirmation_left(*st, "b"));
  }
}

TEST_CASE("the warning count survives a resumed import", "[export-check]") {
  TempDir dir;
  auto st = store::Store::open(dir / "db");
  seed(*st);
  confirm(*st, "a", {attr("mail", {"new@example.com"})});
  RecordSource source;
  source.pages = {{person("a", {"mail", "a@example.com", "title", "Clerk"})},
                  {person("b", {"mail", "b@example.com"})}};
  source.fail_at_page = 1;
  auto stopped = import_records(*st, source);
  CHECK(stopped.status == "stopped-connectivity");
  CHECK(stopped.counters.not_reimported == 1);
  CHECK(stopped.object_issues.size() == 1);

  source.fail_at_page = -1;
  auto resumed = import_records(*st, source);
  CHECK(resumed.resumed);
  CHECK(resumed.status == "completed-warnings");
  CHECK(resumed.counters.not_reimported == 1);
  CHECK(resumed.message.find("1 object does not hold") == 0);
}

TEST_CASE("every warning is counted and the first ones listed", "[export-check]") {
  TempDir dir;
  auto st = store::Store::open(dir / "db");
  const size_t n = store::kMaxListedIssues + 5;
  RecordSource source;
  source.pages.resize(3);
  for (size_t i = 0; i < n; ++i)
    source.pages[i % 3].push_back(person("p" + std::to_string(i), {"mail", "old"}));
  REQUIRE(import_records(*st, source).ok());
  for (size_t i = 0; i < n; ++i) confirm(*st, "p" + std::to_string(i), {attr("mail", {"new"})});
  auto r = import_records(*st, source);
  CHECK(r.counters.not_reimported == n);
  CHECK(r.object_issues.size() == store::kMaxListedIssues);
  CHECK(r.message.find(std::to_string(n) + " objects do not hold") == 0);
}

TEST_CASE("long and binary values are shortened in the message", "[export-check]") {
  store::ExportConfirm exported;
  exported.attributes = {{"photo", IDSYNC_VALUE_BINARY, {std::string("\x01\x02", 2)}},
                         attr("note", {std::string(150, 'x')})};
  store::CsObject imported;
  std::vector<std::string> many;
  for (int i = 0; i < 12; ++i) many.push_back(std::to_string(i));
  imported.attributes = {attr("note", many)};
  CHECK(importer::not_reimported(exported, imported) ==
        "photo: exported 0x0102, imported no value; note: exported \"" + std::string(100, 'x') +
            "...\", imported [\"0\", \"1\", \"2\", \"3\", \"4\", \"5\", \"6\", \"7\", \"8\", "
            "\"9\", ... (12 values)]");
}
