#include "importer/missing_objects.hpp"

#include <rocksdb/write_batch.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "importer/apply_change.hpp"
#include "importer/first_import.hpp"
#include "store/codec.hpp"
#include "store/connector_space.hpp"
#include "store/prefix_scan.hpp"
#include "store/provisional_anchor.hpp"
#include "store/sync_queue.hpp"

namespace idsync::importer {

using store::Family;

namespace {

// Objects per batch when staging the deletes.
constexpr size_t kDeleteBatch = 2000;

// Visits every object of the connector that could be missing, in anchor order, with whether
// the import of `generation` saw it: a merge-join of the objects with their seen marks, which
// are both ordered by anchor. `visit(key, value, anchor, seen)`.
template <typename Visit>
void scan_candidates(store::Store& store, uint32_t connector_id, uint64_t generation,
                     Visit&& visit) {
  const std::string prefix = store::connector_prefix(connector_id);
  const std::string upper = store::connector_prefix(connector_id + 1);
  rocksdb::Slice upper_slice(upper);
  rocksdb::ReadOptions options;
  options.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> objects(
      store.db().NewIterator(options, store.family(Family::cs)));
  std::unique_ptr<rocksdb::Iterator> seen(
      store.db().NewIterator(options, store.family(Family::cs_seen)));
  seen->Seek(prefix);
  for (objects->Seek(prefix); objects->Valid(); objects->Next()) {
    const rocksdb::Slice key = objects->key();
    const std::string_view anchor(key.data() + prefix.size(), key.size() - prefix.size());
    if (store::is_provisional_anchor(anchor)) continue;
    const std::string_view value(objects->value().data(), objects->value().size());
    const store::CsHeaderView header = store::parse_cs_header(value);
    // A placeholder is not in the system yet: no import can miss it.
    if (header.awaiting_add || header.pending == store::PendingChange::remove) continue;
    while (seen->Valid() && seen->key().compare(key) < 0) seen->Next();
    bool was_seen = false;
    if (seen->Valid() && seen->key() == key) {
      store::Decoder d(std::string_view(seen->value().data(), seen->value().size()));
      was_seen = d.varint() == generation;
    }
    visit(std::string_view(key.data(), key.size()), value, anchor, was_seen);
  }
  store::check(objects->status(), "store " + store.path().string() + ": scan failed");
  store::check(seen->status(), "store " + store.path().string() + ": scan failed");
}

}  // namespace

bool holds_importable_objects(store::Store& store, uint32_t connector_id) {
  // Provisional anchors share a prefix, so they are one range of keys: look past it at once
  // (a target provisioned a million objects before its first import holds a million). Nothing
  // sorts before it: no connector's anchor starts with a NUL byte.
  std::string past_provisional(store::kProvisionalAnchorPrefix);
  ++past_provisional.back();
  // Placeholders under final anchors are mixed with the objects: they are passed by their
  // mark, which only a target provisioned before its first import holds many of.
  bool holds = false;
  store::scan_prefix_after(store, Family::cs, store::connector_prefix(connector_id),
                           past_provisional, [&](std::string_view, std::string_view value) {
                             holds = !store::parse_cs_header(value).awaiting_add;
                             return !holds;
                           });
  return holds;
}

MissingObjects count_missing(store::Store& store, uint32_t connector_id, uint64_t generation) {
  MissingObjects count;
  scan_candidates(store, connector_id, generation,
                  [&](std::string_view, std::string_view, std::string_view, bool seen) {
                    ++count.objects;
                    if (!seen) ++count.missing;
                  });
  return count;
}

uint64_t stage_missing_as_deleted(store::Store& store, uint32_t connector_id, uint64_t generation,
                                  bool queue_for_sync) {
  const store::ConnectorSpace cs(store, connector_id);
  rocksdb::WriteBatch batch;
  size_t in_batch = 0;
  store::ImportCounters counters;
  std::string encoded;
  scan_candidates(
      store, connector_id, generation,
      [&](std::string_view key, std::string_view value, std::string_view anchor, bool seen) {
        if (seen) return;
        std::optional<store::CsObject> state(std::in_place);
        store::decode_cs_object(anchor, value, *state);
        read_as_pending_add(store, connector_id, queue_for_sync, *state);
        const std::string dn = state->dn;
        apply_missing(state, counters);
        if (state) {
          encoded.clear();
          store::encode_cs_object(*state, encoded);
          batch.Put(store.family(Family::cs), key, encoded);
        } else {
          batch.Delete(store.family(Family::cs), key);
          batch.Delete(store.family(Family::cs_seen), key);
          if (!dn.empty()) batch.Delete(store.family(Family::cs_dn), cs.dn_key(dn));
        }
        // What an earlier export sent can no longer be checked against anything.
        batch.Delete(store.family(Family::export_confirm), key);
        // Gone entirely (a pending add never synced) or a pending delete: sync must see it
        // either way, to disconnect a link or drop the queue entry of the add.
        if (queue_for_sync) store::SyncQueue::add_key(store, batch, key);
        if (++in_batch == kDeleteBatch) {
          store.write(batch);
          batch.Clear();
          in_batch = 0;
        }
      });
  if (in_batch) store.write(batch);
  return counters.deletes;
}

}  // namespace idsync::importer
