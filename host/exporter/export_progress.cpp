#include "exporter/export_progress.hpp"

#include "store/codec.hpp"

namespace idsync::exporter {

namespace {
constexpr uint8_t kFormat = 1;
}

void encode_export_progress(const ExportProgress& p, std::string& out) {
  out.clear();
  store::Encoder e(out);
  e.u8(kFormat);
  e.bytes(p.checkpoint);
  e.varint(static_cast<uint64_t>(p.started_unix_ms));
  const ExportCounters& c = p.counters;
  for (uint64_t v : {c.adds, c.updates, c.deletes, c.errors, c.retried, c.skipped, c.batches})
    e.varint(v);
}

ExportProgress decode_export_progress(std::string_view value) {
  store::Decoder d(value);
  if (d.u8() != kFormat) throw store::CorruptRecord("export progress: unknown format");
  ExportProgress p;
  p.checkpoint = std::string(d.bytes());
  p.started_unix_ms = static_cast<int64_t>(d.varint());
  ExportCounters& c = p.counters;
  for (uint64_t* v :
       {&c.adds, &c.updates, &c.deletes, &c.errors, &c.retried, &c.skipped, &c.batches})
    *v = d.varint();
  if (!d.done()) throw store::CorruptRecord("export progress: trailing bytes");
  return p;
}

std::string ExportProgressRecord::key() const { return store::connector_key(id_, "export"); }

std::optional<ExportProgress> ExportProgressRecord::get() const {
  auto v = store_.get(store::Family::progress, key());
  if (!v) return std::nullopt;
  return decode_export_progress(*v);
}

void ExportProgressRecord::put(rocksdb::WriteBatch& batch, const ExportProgress& p) const {
  std::string v;
  encode_export_progress(p, v);
  batch.Put(store_.family(store::Family::progress), key(), v);
}

void ExportProgressRecord::clear(rocksdb::WriteBatch& batch) const {
  batch.Delete(store_.family(store::Family::progress), key());
}

}  // namespace idsync::exporter
