// The sync queue (`sync_queue`: connector id (4 bytes BE) + anchor -> empty): the CS objects of
// a connector whose staged record changed since their last sync. The importer adds a key in
// the same batch as each record it writes or deletes, so Delta Sync reads this queue instead of
// scanning the connector space, and a crash can never leave a staged change unqueued. Sync
// removes keys in the batch that commits the object's sync.
//
// The key is the object's `cs` key, so the importer reuses the key it already built.
#pragma once

#include <rocksdb/write_batch.h>

#include <cstdint>
#include <functional>
#include <string_view>

#include "store/store.hpp"

namespace idsync::store {

class SyncQueue {
 public:
  SyncQueue(Store& store, uint32_t connector_id) : store_(store), id_(connector_id) {}

  // Streams the queued anchors in anchor order; `visit` returns false to stop. Starts after
  // `after` when given (to resume a sync that committed up to it).
  void for_each(const std::function<bool(std::string_view anchor)>& visit) const;
  void for_each_after(std::string_view after,
                      const std::function<bool(std::string_view anchor)>& visit) const;
  uint64_t count() const;
  bool contains(std::string_view anchor) const;

  void add(rocksdb::WriteBatch& batch, std::string_view anchor) const;
  void remove(rocksdb::WriteBatch& batch, std::string_view anchor) const;

  // For writers that already hold the object's cs key (connector_key(id, anchor)).
  static void add_key(Store& store, rocksdb::WriteBatch& batch, std::string_view cs_key) {
    batch.Put(store.family(Family::sync_queue), rocksdb::Slice(cs_key.data(), cs_key.size()), {});
  }

 private:
  Store& store_;
  uint32_t id_;
};

}  // namespace idsync::store
