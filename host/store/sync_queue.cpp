#include "store/sync_queue.hpp"

#include "store/prefix_scan.hpp"

namespace idsync::store {

void SyncQueue::for_each(const std::function<bool(std::string_view)>& visit) const {
  scan_prefix(store_, Family::sync_queue, connector_prefix(id_),
              [&](std::string_view anchor, std::string_view) { return visit(anchor); });
}

void SyncQueue::for_each_after(std::string_view after,
                               const std::function<bool(std::string_view)>& visit) const {
  scan_prefix_after(store_, Family::sync_queue, connector_prefix(id_), after,
                    [&](std::string_view anchor, std::string_view) { return visit(anchor); });
}

uint64_t SyncQueue::count() const {
  uint64_t n = 0;
  for_each([&](std::string_view) {
    ++n;
    return true;
  });
  return n;
}

bool SyncQueue::contains(std::string_view anchor) const {
  return store_.get(Family::sync_queue, connector_key(id_, anchor)).has_value();
}

void SyncQueue::add(rocksdb::WriteBatch& batch, std::string_view anchor) const {
  add_key(store_, batch, connector_key(id_, anchor));
}

void SyncQueue::remove(rocksdb::WriteBatch& batch, std::string_view anchor) const {
  batch.Delete(store_.family(Family::sync_queue), connector_key(id_, anchor));
}

}  // namespace idsync::store
