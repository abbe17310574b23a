#include "importer/page_stager.hpp"

#include <memory>
#include <optional>
#include <unordered_map>

#include "importer/apply_change.hpp"
#include "store/codec.hpp"
#include "store/connector_space.hpp"

namespace idsync::importer {

using store::CsObject;
using store::Family;

namespace {
// Objects per batch when staging the deletes of a complete full import.
constexpr size_t kDeleteBatch = 2000;

struct Slot {
  std::optional<std::string> original_value;  // encoded, as read from the store
  std::string original_dn;
  std::optional<CsObject> state;
  bool seen = false;
};

std::string encode_generation(uint64_t g) {
  std::string s;
  store::Encoder(s).varint(g);
  return s;
}
}  // namespace

PageStager::PageStager(store::Store& store, uint32_t connector_id, store::ImportProgress progress)
    : store_(store), id_(connector_id), progress_(std::move(progress)) {}

void PageStager::stage_records(rocksdb::WriteBatch& batch) {
  if (page_.empty()) return;
  const store::ConnectorSpace cs(store_, id_);

  // One MultiGet for the page: imports are dominated by these lookups.
  std::unordered_map<std::string_view, Slot> slots;
  slots.reserve(page_.size());
  std::vector<std::string> keys;
  std::vector<std::string_view> order;
  for (const auto& r : page_) {
    if (slots.try_emplace(r.anchor).second) {
      keys.push_back(cs.object_key(r.anchor));
      order.push_back(r.anchor);
    }
  }
  std::vector<rocksdb::Slice> key_slices(keys.begin(), keys.end());
  std::vector<rocksdb::PinnableSlice> values(keys.size());
  std::vector<rocksdb::Status> statuses(keys.size());
  store_.db().MultiGet(rocksdb::ReadOptions(), store_.family(Family::cs), keys.size(), key_slices.data(),
                       values.data(), statuses.data());
  for (size_t i = 0; i < keys.size(); ++i) {
    Slot& slot = slots[order[i]];
    if (statuses[i].IsNotFound()) continue;
    store::check(statuses[i], "store " + store_.path().string() + ": read failed");
    slot.original_value.emplace(values[i].data(), values[i].size());
    CsObject o;
    store::decode_cs_object(order[i], *slot.original_value, o);
    slot.original_dn = o.dn;
    slot.state = std::move(o);
  }

  store::ImportCounters counters;
  for (const auto& r : page_) {
    Slot& slot = slots[r.anchor];
    apply_record(r, slot.state, counters);
    slot.seen = r.change != IDSYNC_CHANGE_DELETE;
  }

  std::string encoded;
  for (std::string_view anchor : order) {
    const Slot& slot = slots[anchor];
    const std::string key = cs.object_key(anchor);
    const std::string new_dn = slot.state ? slot.state->dn : std::string();
    if (slot.original_dn != new_dn) {
      if (!slot.original_dn.empty()) batch.Delete(store_.family(Family::cs_dn), cs.dn_key(slot.original_dn));
      if (!new_dn.empty()) batch.Put(store_.family(Family::cs_dn), cs.dn_key(new_dn), anchor);
    }
    if (!slot.state) {
      if (slot.original_value) {
        batch.Delete(store_.family(Family::cs), key);
        batch.Delete(store_.family(Family::cs_seen), key);
      }
      continue;
    }
    encoded.clear();
    store::encode_cs_object(*slot.state, encoded);
    if (!slot.original_value || *slot.original_value != encoded) batch.Put(store_.family(Family::cs), key, encoded);
    if (progress_.kind == store::ImportKind::full && slot.seen)
      batch.Put(store_.family(Family::cs_seen), key, encode_generation(progress_.generation));
  }
  counters.pages = 1;
  progress_.counters += counters;
  page_.clear();
}

void PageStager::commit_page(std::string_view checkpoint) {
  rocksdb::WriteBatch batch;
  stage_records(batch);
  progress_.checkpoint.assign(checkpoint);
  const store::ProgressRecords records(store_, id_);
  records.put_in_progress(batch, progress_);
  if (progress_.kind == store::ImportKind::full) records.put_last_generation(batch, progress_.generation);
  store_.write(batch);
}

void PageStager::stage_missing_as_deleted() {
  // Merge-join the connector's objects with their seen marks; both are ordered by anchor.
  const std::string prefix = store::connector_prefix(id_);
  const std::string upper = store::connector_prefix(id_ + 1);
  rocksdb::Slice upper_slice(upper);
  rocksdb::ReadOptions options;
  options.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> objects(store_.db().NewIterator(options, store_.family(Family::cs)));
  std::unique_ptr<rocksdb::Iterator> seen(store_.db().NewIterator(options, store_.family(Family::cs_seen)));
  seen->Seek(prefix);

  const store::ConnectorSpace cs(store_, id_);
  rocksdb::WriteBatch batch;
  size_t in_batch = 0;
  store::ImportCounters counters;
  for (objects->Seek(prefix); objects->Valid(); objects->Next()) {
    const rocksdb::Slice key = objects->key();
    while (seen->Valid() && seen->key().compare(key) < 0) seen->Next();
    if (seen->Valid() && seen->key() == key) {
      store::Decoder d(std::string_view(seen->value().data(), seen->value().size()));
      if (d.varint() == progress_.generation) continue;
    }
    const std::string_view anchor(key.data() + prefix.size(), key.size() - prefix.size());
    std::optional<CsObject> state(std::in_place);
    store::decode_cs_object(anchor, std::string_view(objects->value().data(), objects->value().size()), *state);
    if (state->pending == store::PendingChange::remove) continue;
    const std::string dn = state->dn;
    apply_missing(state, counters);
    if (state) {
      std::string encoded;
      store::encode_cs_object(*state, encoded);
      batch.Put(store_.family(Family::cs), key, encoded);
    } else {
      batch.Delete(store_.family(Family::cs), key);
      batch.Delete(store_.family(Family::cs_seen), key);
      if (!dn.empty()) batch.Delete(store_.family(Family::cs_dn), cs.dn_key(dn));
    }
    if (++in_batch == kDeleteBatch) {
      // Idempotent if interrupted: a rerun finds the same objects unseen and skips those
      // already marked deleted.
      store_.write(batch);
      batch.Clear();
      in_batch = 0;
    }
  }
  store::check(objects->status(), "store " + store_.path().string() + ": scan failed");
  if (in_batch) store_.write(batch);
  progress_.counters.deletes += counters.deletes;
}

void PageStager::finish(bool all_results_returned, std::string_view watermark) {
  commit_page(progress_.checkpoint);
  if (progress_.kind == store::ImportKind::full && all_results_returned) stage_missing_as_deleted();
  rocksdb::WriteBatch batch;
  const store::ProgressRecords records(store_, id_);
  records.put_watermark(batch, watermark);
  records.clear_in_progress(batch);
  store_.write(batch);
}

}  // namespace idsync::importer
