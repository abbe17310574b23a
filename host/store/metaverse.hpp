// The metaverse family (`mv`: mv id, 8 bytes big endian -> MvObject record, mv_object.hpp).
// Reads go straight to the store; writes are added to the caller's WriteBatch so that an MV
// object commits together with its links, join-index entries, dirty marks and the sync step's
// progress.
#pragma once

#include <rocksdb/write_batch.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "store/mv_object.hpp"
#include "store/store.hpp"

namespace idsync::store {

class MetaverseStore {
 public:
  explicit MetaverseStore(Store& store) : store_(store) {}

  std::optional<MvObject> get(uint64_t id) const;
  // get() for many ids with one MultiGet; nullopt where there is none.
  std::vector<std::optional<MvObject>> get_many(const std::vector<uint64_t>& ids) const;
  // Streams every object (tombstones included) in id order, one in memory at a time;
  // `visit` returns false to stop.
  void for_each(const std::function<bool(const MvObject&)>& visit) const;

  // Writes the whole object (its id is the key). `scratch` is reused between calls to spare an
  // allocation per object on the hot path.
  void put(rocksdb::WriteBatch& batch, const MvObject& object, std::string& scratch) const;
  void put(rocksdb::WriteBatch& batch, const MvObject& object) const;
  // Removes the record for good. Callers remove its links and join entries in the same batch.
  void remove(rocksdb::WriteBatch& batch, uint64_t id) const;

 private:
  Store& store_;
};

// Hands out mv ids. The next free id is kept in `meta` ("next_mv_id") and every allocate()
// writes the advanced counter into the batch that uses the id, so the counter is committed
// exactly when something using the id is.
//
// Crash safety: an id handed out whose batch never committed is handed out again after a
// restart. That reuse is harmless because nothing in the store refers to it (the object, its
// links, join entries and dirty marks are all in that lost batch), and ids never leave the
// store before their batch commits: callers must not log or export an id before the write.
// An id that was committed is never reused, even after the object is removed, because the
// counter only grows.
//
// One allocator per store at a time (the sync step is the only writer of the metaverse), and
// batches must be written in the order their ids were allocated, or not at all. A batch that
// failed to write just leaves a gap.
class MvIdAllocator {
 public:
  // Loads the counter. Ids start at 1 (0 means "no MV object" in callers).
  explicit MvIdAllocator(Store& store);

  // The next id. Nothing is written until record().
  uint64_t allocate();
  // Puts the counter into `batch` when ids were allocated since the last record(): the batch
  // that commits objects using the ids must carry it (one Put per batch, not per id).
  void record(rocksdb::WriteBatch& batch);
  uint64_t peek_next() const { return next_; }

 private:
  Store& store_;
  uint64_t next_ = 1;
  uint64_t recorded_ = 1;
};

}  // namespace idsync::store
