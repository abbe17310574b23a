#include "sync/sync_progress.hpp"

#include "store/codec.hpp"

namespace idsync::sync {

namespace {
constexpr uint8_t kFormat = 1;

// The stored counters, in a fixed order (append only: the format byte guards reordering).
template <typename Result, typename F>
void for_each_counter(Result& r, F&& f) {
  for (auto* c : {&r.objects, &r.projections, &r.joins, &r.disconnectors, &r.mv_deletes,
                  &r.flow_updates, &r.join_errors, &r.errors, &r.batches})
    f(*c);
}
}  // namespace

SyncProgressRecord::SyncProgressRecord(store::Store& store, uint32_t connector_id)
    : store_(store), key_(store::connector_key(connector_id, "sync")) {}

std::optional<SyncProgress> SyncProgressRecord::get() const {
  auto value = store_.get(store::Family::progress, key_);
  if (!value) return std::nullopt;
  store::Decoder d(*value);
  if (d.u8() != kFormat) throw store::CorruptRecord("unknown sync progress format");
  SyncProgress p;
  const uint8_t kind = d.u8();
  if (kind != static_cast<uint8_t>(SyncKind::full) && kind != static_cast<uint8_t>(SyncKind::delta))
    throw store::CorruptRecord("unknown sync kind in sync progress");
  p.kind = static_cast<SyncKind>(kind);
  p.last_anchor.assign(d.bytes());
  for_each_counter(p.counters, [&](uint64_t& c) { c = d.varint(); });
  if (!d.done()) throw store::CorruptRecord("trailing bytes in sync progress");
  p.counters.kind = p.kind;
  return p;
}

void SyncProgressRecord::put(rocksdb::WriteBatch& batch, const SyncProgress& p) const {
  std::string value;
  store::Encoder e(value);
  e.u8(kFormat);
  e.u8(static_cast<uint8_t>(p.kind));
  e.bytes(p.last_anchor);
  InboundResult counters = p.counters;
  for_each_counter(counters, [&](uint64_t& c) { e.varint(c); });
  batch.Put(store_.family(store::Family::progress), key_, value);
}

void SyncProgressRecord::clear(rocksdb::WriteBatch& batch) const {
  batch.Delete(store_.family(store::Family::progress), key_);
}

}  // namespace idsync::sync
