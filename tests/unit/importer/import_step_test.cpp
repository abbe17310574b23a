// Drives run_import with a scripted connector built on the raw C ABI, to check the staging
// contract: whole pages only, resume from the last checkpoint, deletes only after a complete
// full import, and statuses that say what happened.
#include "importer/import_step.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "importer/missing_objects.hpp"
#include "store/codec.hpp"
#include "store/connector_space.hpp"
#include "store/import_progress.hpp"
#include "store/provisional_anchor.hpp"
#include "support/temp_dir.hpp"

using namespace idsync;
using idsync::testing::TempDir;

namespace {

struct Script {
  std::vector<std::vector<std::string>> pages;  // anchors per page; value of "v" is anchor + suffix
  std::string suffix = "";
  int fail_at_page = -1;  // push this page's objects, then fail before page_end
  idsync_error_kind fail_kind = IDSYNC_ERR_INVALID_VALUE;
  bool all_results = true;
  bool refuse_checkpoints = false;  // answer PRECONDITION to any non-empty checkpoint
  bool delta_unsupported = false;   // the delta hook answers UNSUPPORTED (known at run time)
  int pages_pushed = 0;
  std::string seen_checkpoint;
  std::string delta_watermark_seen;
};

Script script(std::vector<std::vector<std::string>> pages) {
  Script sc;
  sc.pages = std::move(pages);
  return sc;
}

Script* script_of(idsync_connector* c) { return reinterpret_cast<Script*>(c); }

idsync_str s(const std::string& x) { return {x.data(), x.size()}; }
idsync_bytes b(const std::string& x) {
  return {reinterpret_cast<const uint8_t*>(x.data()), x.size()};
}

idsync_status push_pages(Script& sc, const idsync_import_request* r, const idsync_import_sink* sink,
                         const idsync_diag* diag, idsync_change change) {
  sc.seen_checkpoint.assign(reinterpret_cast<const char*>(r->checkpoint.ptr), r->checkpoint.len);
  if (sc.refuse_checkpoints && !sc.seen_checkpoint.empty()) {
    const std::string msg = "the source changed since the checkpoint";
    diag->set_error(diag->host_ctx, IDSYNC_ERR_PRECONDITION, s(msg));
    return IDSYNC_ERROR;
  }
  size_t start = sc.seen_checkpoint.empty() ? 0 : std::stoul(sc.seen_checkpoint);
  for (size_t p = start; p < sc.pages.size(); ++p) {
    for (const auto& anchor : sc.pages[p]) {
      const std::string type = "person", dn = "cn=" + anchor, value = anchor + sc.suffix;
      const std::string source = "script:" + anchor;
      idsync_object_header h{sizeof h, change, s(type), b(anchor), s(dn), s(source)};
      if (sink->object_begin(sink->host_ctx, &h) != IDSYNC_OK) return IDSYNC_ERROR;
      idsync_bytes v = b(value);
      idsync_attr a{sizeof a, s(std::string("v")), IDSYNC_VALUE_STRING, IDSYNC_ATTR_REPLACE, &v, 1};
      const std::string name = "v";
      a.name = s(name);
      sink->attribute(sink->host_ctx, &a);
      sink->object_end(sink->host_ctx);
    }
    if (static_cast<int>(p) == sc.fail_at_page) {
      const std::string msg = "page " + std::to_string(p) + " is bad";
      diag->set_error(diag->host_ctx, sc.fail_kind, s(msg));
      return IDSYNC_ERROR;
    }
    const std::string cp = std::to_string(p + 1);
    ++sc.pages_pushed;
    if (idsync_status st = sink->page_end(sink->host_ctx, b(cp)); st != IDSYNC_OK) return st;
  }
  const std::string wm = "wm-" + std::to_string(sc.pages.size());
  return sink->import_end(sink->host_ctx, sc.all_results ? 1 : 0, b(wm));
}

idsync_status full_import(idsync_connector* c, const idsync_import_request* r,
                          const idsync_import_sink* sink, const idsync_diag* d) {
  return push_pages(*script_of(c), r, sink, d, IDSYNC_CHANGE_STATE);
}

idsync_status delta_import(idsync_connector* c, const idsync_import_request* r,
                           const idsync_import_sink* sink, const idsync_diag* d) {
  script_of(c)->delta_watermark_seen.assign(reinterpret_cast<const char*>(r->watermark.ptr),
                                            r->watermark.len);
  if (script_of(c)->delta_unsupported) {
    const std::string msg = "the service cannot filter on lastModified";
    d->set_error(d->host_ctx, IDSYNC_ERR_NONE, s(msg));
    return IDSYNC_UNSUPPORTED;
  }
  return push_pages(*script_of(c), r, sink, d, IDSYNC_CHANGE_UPDATE);
}

idsync_connector_type scripted_type() {
  idsync_connector_type t{};
  t.struct_size = sizeof t;
  t.type_id = "test.scripted";
  t.capabilities = IDSYNC_CAP_FULL_IMPORT | IDSYNC_CAP_DELTA_IMPORT;
  t.full_import = &full_import;
  t.delta_import = &delta_import;
  return t;
}

// Each object with its pending change as an admin sees it (store::as_shown).
std::vector<std::string> anchors(store::Store& st, const std::string& connector) {
  std::vector<std::string> out;
  const uint32_t id = st.connector_id(connector);
  const bool synced = store::ProgressRecords(st, id).synced_once();
  store::ConnectorSpace(st, id).for_each([&](const store::CsObject& o) {
    out.push_back(o.anchor + ":" +
                  std::string(store::to_string(store::as_shown(o, synced).pending)));
    return true;
  });
  return out;
}

importer::StepResult run(store::Store& st, Script& sc,
                         store::ImportKind kind = store::ImportKind::full, bool has_delta = true) {
  auto type = scripted_type();
  if (!has_delta) {
    type.delta_import = nullptr;
    type.capabilities &= ~IDSYNC_CAP_DELTA_IMPORT;
  }
  importer::ImportStepOptions options;
  options.kind = kind;
  options.page_size = 2;
  return importer::run_import(st, "HR", type, reinterpret_cast<idsync_connector*>(&sc), options);
}

}  // namespace

TEST_CASE("a full import stages every object and stores the watermark") {
  TempDir dir;
  auto st = store::Store::open(dir / "db");
  Script sc = script({{"a", "b"}, {"c"}});
  auto r = run(*st, sc);
  CHECK(r.status == "success");
  CHECK(r.counters.adds == 3);
  CHECK(r.counters.pages == 2);
  CHECK(anchors(*st, "HR") == std::vector<std::string>{"a:add", "b:add", "c:add"});
  CHECK(store::ProgressRecords(*st, st->connector_id("HR")).watermark() == std::string("wm-2"));
  CHECK_FALSE(store::ProgressRecords(*st, st->connector_id("HR")).in_progress());
}

TEST_CASE("a failing page is not staged, earlier pages are, and the rerun resumes after them") {
  TempDir dir;
  auto st = store::Store::open(dir / "db");
  Script sc = script({{"a", "b"}, {"c", "d"}, {"e"}});
  sc.fail_at_page = 1;
  auto r = run(*st, sc);
  CHECK(r.status == "stopped-data-error");
  CHECK(r.message == "page 1 is bad");
  CHECK(anchors(*st, "HR") == std::vector<std::string>{"a:add", "b:add"});
  CHECK_FALSE(store::ProgressRecords(*st, st->connector_id("HR")).watermark());

  sc.fail_at_page = -1;
  r = run(*st, sc);
  CHECK(r.status == "success");
  CHECK(r.resumed);
  CHECK(sc.seen_checkpoint == "1");
  CHECK(anchors(*st, "HR") ==
        std::vector<std::string>{"a:add", "b:add", "c:add", "d:add", "e:add"});
  CHECK(r.counters.adds == 5);  // counters carry over from the interrupted run
}

TEST_CASE("objects missing from a complete full import become pending deletes") {
  TempDir dir;
  auto st = store::Store::open(dir / "db");
  Script first = script({{"a", "b"}, {"c"}});
  REQUIRE(run(*st, first).ok());
  // Pretend a Full Sync consumed the adds: it completes the connector's first sync.
  {
    rocksdb::WriteBatch batch;
    store::ProgressRecords(*st, st->connector_id("HR")).put_synced_once(batch);
    st->write(batch);
  }
  Script second = script({{"a"}, {"c"}});
  second.suffix = "-2";
  auto r = run(*st, second);
  CHECK(r.status == "success");
  CHECK(r.counters.deletes == 1);
  CHECK(r.counters.updates == 2);
  CHECK(anchors(*st, "HR") == std::vector<std::string>{"a:update", "b:delete", "c:update"});
}

TEST_CASE("an incomplete full import stages no deletes and says so") {
  TempDir dir;
  auto st = store::Store::open(dir / "db");
  Script first = script({{"a", "b"}});
  REQUIRE(run(*st, first).ok());
  Script partial = script({{"a"}});
  partial.all_results = false;
  auto r = run(*st, partial);
  CHECK(r.status == "completed-warnings");
  CHECK(r.message.find("did not return all results") != std::string::npos);
  CHECK(anchors(*st, "HR") == std::vector<std::string>{"a:add", "b:add"});
}

TEST_CASE("a delta import needs a watermark and starts from it") {
  TempDir dir;
  auto st = store::Store::open(dir / "db");
  Script delta = script({{"a"}});
  auto r = run(*st, delta, store::ImportKind::delta);
  CHECK(r.status == "stopped-precondition");
  CHECK(r.message.find("run a full import first") != std::string::npos);

  Script full = script({{"a", "b"}});
  REQUIRE(run(*st, full).ok());
  r = run(*st, delta, store::ImportKind::delta);
  CHECK(r.status == "success");
  CHECK(delta.delta_watermark_seen == "wm-1");
}

TEST_CASE("a delta import of a connector without one runs a full import and says so") {
  TempDir dir;
  auto st = store::Store::open(dir / "db");
  Script first = script({{"a", "b"}});
  REQUIRE(run(*st, first, store::ImportKind::full, false).ok());
  // b is gone and c is new: only a full import's comparison can tell about b.
  Script now = script({{"a"}, {"c"}});
  const auto r = run(*st, now, store::ImportKind::delta, false);
  CHECK(r.status == "success");
  CHECK(r.message.find("test.scripted has no delta import") != std::string::npos);
  CHECK(r.message.find("a full import ran in its place") != std::string::npos);
  CHECK(r.counters.deletes == 1);
  // b was never synced, so its delete erases it.
  CHECK(anchors(*st, "HR") == std::vector<std::string>{"a:add", "c:add"});
}

TEST_CASE("a delta import the connector finds unsupported at run time runs a full import") {
  TempDir dir;
  auto st = store::Store::open(dir / "db");
  Script first = script({{"a", "b"}});
  REQUIRE(run(*st, first).ok());
  Script now = script({{"a"}});
  now.delta_unsupported = true;
  const auto r = run(*st, now, store::ImportKind::delta);
  CHECK(r.status == "success");
  CHECK(r.message.find("the service cannot filter on lastModified") != std::string::npos);
  CHECK(r.message.find("a full import ran in its place") != std::string::npos);
  CHECK(now.pages_pushed == 1);
  CHECK(r.counters.deletes == 1);
  CHECK(anchors(*st, "HR") == std::vector<std::string>{"a:add"});
}

TEST_CASE("connection failures keep the store and watermark as they were") {
  TempDir dir;
  auto st = store::Store::open(dir / "db");
  Script full = script({{"a"}});
  REQUIRE(run(*st, full).ok());
  Script down = script({{"x"}});
  down.fail_at_page = 0;
  down.fail_kind = IDSYNC_ERR_CONNECTION;
  auto r = run(*st, down, store::ImportKind::delta);
  CHECK(r.status == "stopped-connectivity");
  CHECK(anchors(*st, "HR") == std::vector<std::string>{"a:add"});
  CHECK(store::ProgressRecords(*st, st->connector_id("HR")).watermark() == std::string("wm-1"));
}

TEST_CASE("an anchor pushed twice in one full import stops it, naming both places") {
  TempDir dir;
  auto st = store::Store::open(dir / "db");
  SECTION("in two pages") {
    Script sc = script({{"a", "b"}, {"c", "a"}});
    auto r = run(*st, sc);
    CHECK(r.status == "stopped-data-error");
    CHECK(r.message == "script:a: duplicate anchor \"a\" in one full import (first at script:a)");
    CHECK(anchors(*st, "HR") ==
          std::vector<std::string>{"a:add", "b:add"});  // the bad page is not staged
  }
  SECTION("in one page") {
    Script sc = script({{"a", "a"}});
    auto r = run(*st, sc);
    CHECK(r.status == "stopped-data-error");
    CHECK(anchors(*st, "HR").empty());
  }
  SECTION("but not across two full imports") {
    Script sc = script({{"a"}, {"b"}});
    REQUIRE(run(*st, sc).ok());
    sc.suffix = "-2";
    auto r = run(*st, sc);
    CHECK(r.status == "success");
    CHECK(r.counters.updates == 2);
  }
}

TEST_CASE("a resume the connector refuses starts the import over") {
  TempDir dir;
  auto st = store::Store::open(dir / "db");
  Script sc = script({{"a", "b"}, {"c"}});
  sc.fail_at_page = 1;
  REQUIRE(run(*st, sc).status == "stopped-data-error");
  // The source changed: the connector cannot resume from page 1 and says so.
  sc.fail_at_page = -1;
  sc.refuse_checkpoints = true;
  sc.pages = {{"a"}, {"c"}};
  auto r = run(*st, sc);
  CHECK(r.status == "success");
  CHECK(r.restarted);
  CHECK(sc.seen_checkpoint.empty());
  // b was staged by the abandoned attempt and is not in the new one: the new generation
  // sees that it is gone.
  CHECK(anchors(*st, "HR") == std::vector<std::string>{"a:add", "c:add"});
}

TEST_CASE("a full import begun on an empty connector space keeps that answer across a resume") {
  TempDir dir;
  auto st = store::Store::open(dir / "db");
  const uint32_t id = st->connector_id("HR");
  // A placeholder a sync provisioned: the connected system has never seen it, so it is not
  // something the import could find missing, and the space counts as empty.
  const std::string placeholder = store::make_provisional_anchor("7");
  {
    store::CsObject o;
    o.anchor = placeholder;
    o.object_type = "person";
    std::string v;
    store::encode_cs_object(o, v);
    rocksdb::WriteBatch batch;
    batch.Put(st->family(store::Family::cs), store::ConnectorSpace(*st, id).object_key(o.anchor),
              v);
    st->write(batch);
  }
  CHECK_FALSE(importer::holds_importable_objects(*st, id));
  Script sc = script({{"a", "b"}, {"c"}});
  sc.fail_at_page = 1;
  REQUIRE(run(*st, sc).status == "stopped-data-error");
  const auto interrupted = store::ProgressRecords(*st, id).in_progress();
  REQUIRE(interrupted);
  CHECK(interrupted->started_empty);
  CHECK(importer::holds_importable_objects(*st, id));

  sc.fail_at_page = -1;
  auto r = run(*st, sc);
  CHECK(r.status == "success");
  CHECK(r.resumed);
  CHECK(r.counters.deletes == 0);
  CHECK(anchors(*st, "HR") ==
        std::vector<std::string>{placeholder + ":none", "a:add", "b:add", "c:add"});

  // The next full import starts on a space that holds objects, and finds the one gone.
  Script second = script({{"a"}, {"c"}});
  second.fail_at_page = 1;
  REQUIRE(run(*st, second).status == "stopped-data-error");
  CHECK_FALSE(store::ProgressRecords(*st, id).in_progress()->started_empty);
  second.fail_at_page = -1;
  r = run(*st, second);
  CHECK(r.status == "success");
  CHECK(r.counters.deletes == 1);
  CHECK(anchors(*st, "HR") == std::vector<std::string>{placeholder + ":none", "a:add", "c:add"});
}

TEST_CASE("objects of another connector do not make a connector space hold objects") {
  TempDir dir;
  auto st = store::Store::open(dir / "db");
  Script sc = script({{"a"}});
  REQUIRE(run(*st, sc).ok());
  CHECK(importer::holds_importable_objects(*st, st->connector_id("HR")));
  CHECK_FALSE(importer::holds_importable_objects(*st, st->connector_id("Badges")));
}

TEST_CASE("a placeholder awaiting its add under its final anchor is never missing") {
  TempDir dir;
  auto st = store::Store::open(dir / "db");
  const uint32_t id = st->connector_id("HR");
  // What a sync provisioned under the anchor its add names: the system has not seen it yet.
  {
    store::CsObject o;
    o.anchor = "p";
    o.object_type = "person";
    o.awaiting_add = true;
    std::string v;
    store::encode_cs_object(o, v);
    rocksdb::WriteBatch batch;
    batch.Put(st->family(store::Family::cs), store::ConnectorSpace(*st, id).object_key("p"), v);
    st->write(batch);
  }
  CHECK_FALSE(importer::holds_importable_objects(*st, id));
  Script first = script({{"a", "b"}});
  auto r = run(*st, first);
  REQUIRE(r.ok());
  CHECK(importer::holds_importable_objects(*st, id));
  // A complete full import that does not see it stages no delete of it.
  Script second = script({{"a"}});
  second.suffix = "-2";
  r = run(*st, second);
  CHECK(r.ok());
  CHECK(r.counters.deletes == 1);  // b only
  const auto p = store::ConnectorSpace(*st, id).get("p");
  REQUIRE(p);
  CHECK(p->awaiting_add);
  CHECK(p->pending == store::PendingChange::none);
}
