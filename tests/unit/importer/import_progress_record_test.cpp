// The import progress record carries the counters across a resume, not_reimported included,
// and still reads the records written before that counter existed.
#include <rocksdb/write_batch.h>

#include <catch2/catch.hpp>

#include "store/codec.hpp"
#include "store/import_progress.hpp"
#include "support/temp_dir.hpp"

using namespace idsync;
using idsync::testing::TempDir;

TEST_CASE("the import progress record round-trips its counters") {
  TempDir dir;
  auto st = store::Store::open(dir / "db");
  const store::ProgressRecords records(*st, st->connector_id("HR"));
  store::ImportProgress p;
  p.kind = store::ImportKind::delta;
  p.checkpoint = "page-3";
  p.base_watermark = "wm";
  p.started_unix = 1700000000;
  p.counters.objects = 9;
  p.counters.adds = 1;
  p.counters.updates = 2;
  p.counters.renames = 3;
  p.counters.deletes = 4;
  p.counters.unchanged = 5;
  p.counters.pages = 6;
  p.counters.not_reimported = 7;
  p.started_empty = true;
  rocksdb::WriteBatch batch;
  records.put_in_progress(batch, p);
  st->write(batch);
  const auto back = records.in_progress();
  REQUIRE(back);
  CHECK(back->kind == p.kind);
  CHECK(back->checkpoint == p.checkpoint);
  CHECK(back->base_watermark == p.base_watermark);
  CHECK(back->started_unix == p.started_unix);
  CHECK(back->counters.objects == 9);
  CHECK(back->counters.pages == 6);
  CHECK(back->counters.not_reimported == 7);
  CHECK(back->started_empty);
}

TEST_CASE("an import progress record from before not_reimported reads it as 0") {
  TempDir dir;
  auto st = store::Store::open(dir / "db");
  const uint32_t id = st->connector_id("HR");
  // Format 1 as first written: kind, generation, checkpoint, base watermark, start, and seven
  // counters.
  std::string old;
  store::Encoder e(old);
  e.u8(1);
  e.u8(static_cast<uint8_t>(store::ImportKind::full));
  e.varint(4);
  e.bytes("cp");
  e.bytes("");
  e.varint(1700000000);
  for (uint64_t counter : {10, 8, 1, 0, 0, 1, 2}) e.varint(counter);
  rocksdb::WriteBatch batch;
  batch.Put(st->family(store::Family::progress), store::connector_key(id, "run"), old);
  st->write(batch);

  const auto back = store::ProgressRecords(*st, id).in_progress();
  REQUIRE(back);
  CHECK(back->generation == 4);
  CHECK(back->checkpoint == "cp");
  CHECK(back->counters.objects == 10);
  CHECK(back->counters.adds == 8);
  CHECK(back->counters.pages == 2);
  CHECK(back->counters.not_reimported == 0);
  CHECK_FALSE(back->started_empty);  // and the import looks for missing objects, as before
}
