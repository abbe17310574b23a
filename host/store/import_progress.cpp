#include "store/import_progress.hpp"

#include "store/codec.hpp"

namespace idsync::store {

namespace {
constexpr uint8_t kProgressFormat = 1;
constexpr char kRunKey[] = "run";
constexpr char kWatermarkKey[] = "wm";
constexpr char kGenerationKey[] = "gen";
constexpr char kSyncedKey[] = "synced";
constexpr char kCompletedKey[] = "completed";
}  // namespace

ImportCounters& ImportCounters::operator+=(const ImportCounters& o) {
  objects += o.objects;
  adds += o.adds;
  updates += o.updates;
  renames += o.renames;
  deletes += o.deletes;
  unchanged += o.unchanged;
  pages += o.pages;
  projections += o.projections;
  joins += o.joins;
  disconnectors += o.disconnectors;
  flow_updates += o.flow_updates;
  errors += o.errors;
  export_adds += o.export_adds;
  export_updates += o.export_updates;
  export_deletes += o.export_deletes;
  not_reimported += o.not_reimported;
  return *this;
}

std::optional<ImportProgress> ProgressRecords::in_progress() const {
  auto value = store_.get(Family::progress, connector_key(id_, kRunKey));
  if (!value) return std::nullopt;
  Decoder d(*value);
  if (d.u8() != kProgressFormat) throw CorruptRecord("unknown import progress format");
  ImportProgress p;
  p.kind = static_cast<ImportKind>(d.u8());
  p.generation = d.varint();
  p.checkpoint.assign(d.bytes());
  p.base_watermark.assign(d.bytes());
  p.started_unix = static_cast<int64_t>(d.varint());
  auto& c = p.counters;
  for (uint64_t* field :
       {&c.objects, &c.adds, &c.updates, &c.renames, &c.deletes, &c.unchanged, &c.pages})
    *field = d.varint();
  // Counters added later follow the first seven; a record written before one existed ends
  // earlier and reads it as 0.
  if (!d.done()) c.not_reimported = d.varint();
  if (!d.done()) p.started_empty = d.u8() != 0;
  return p;
}

void ProgressRecords::put_in_progress(rocksdb::WriteBatch& batch, const ImportProgress& p) const {
  std::string value;
  Encoder e(value);
  e.u8(kProgressFormat);
  e.u8(static_cast<uint8_t>(p.kind));
  e.varint(p.generation);
  e.bytes(p.checkpoint);
  e.bytes(p.base_watermark);
  e.varint(static_cast<uint64_t>(p.started_unix));
  const auto& c = p.counters;
  for (uint64_t field :
       {c.objects, c.adds, c.updates, c.renames, c.deletes, c.unchanged, c.pages, c.not_reimported})
    e.varint(field);
  e.u8(p.started_empty ? 1 : 0);
  batch.Put(store_.family(Family::progress), connector_key(id_, kRunKey), value);
}

void ProgressRecords::clear_in_progress(rocksdb::WriteBatch& batch) const {
  batch.Delete(store_.family(Family::progress), connector_key(id_, kRunKey));
}

std::optional<std::string> ProgressRecords::watermark() const {
  return store_.get(Family::progress, connector_key(id_, kWatermarkKey));
}

void ProgressRecords::put_watermark(rocksdb::WriteBatch& batch, std::string_view watermark) const {
  batch.Put(store_.family(Family::progress), connector_key(id_, kWatermarkKey),
            rocksdb::Slice(watermark.data(), watermark.size()));
}

std::optional<int64_t> ProgressRecords::last_import_completed_unix_ms() const {
  const auto value = store_.get(Family::progress, connector_key(id_, kCompletedKey));
  if (!value) return std::nullopt;
  Decoder d(*value);
  return static_cast<int64_t>(d.u64be());
}

void ProgressRecords::put_import_completed(rocksdb::WriteBatch& batch, int64_t unix_ms) const {
  std::string value;
  Encoder(value).u64be(static_cast<uint64_t>(unix_ms));
  batch.Put(store_.family(Family::progress), connector_key(id_, kCompletedKey), value);
}

uint64_t ProgressRecords::last_generation() const {
  auto value = store_.get(Family::progress, connector_key(id_, kGenerationKey));
  return value ? Decoder(*value).varint() : 0;
}

void ProgressRecords::put_last_generation(rocksdb::WriteBatch& batch, uint64_t generation) const {
  std::string value;
  Encoder(value).varint(generation);
  batch.Put(store_.family(Family::progress), connector_key(id_, kGenerationKey), value);
}

bool ProgressRecords::synced_once() const {
  return store_.get(Family::progress, connector_key(id_, kSyncedKey)).has_value();
}

void ProgressRecords::put_synced_once(rocksdb::WriteBatch& batch) const {
  batch.Put(store_.family(Family::progress), connector_key(id_, kSyncedKey), "");
}

}  // namespace idsync::store
