// Which MV objects hold references to which (family `mv_ref`): key mv id of the referenced
// object (8 bytes BE) + mv id of the holder (8 bytes BE), empty value.
//
// When an MV object is deleted, its holders must lose the reference (and their targets the
// member or manager value): the index finds them with one prefix scan, however large the
// metaverse. It is written with the MV objects (sync/batch_overlay.hpp), from the difference
// between an object's reference values before and after, so keeping it costs in proportion
// to the references that change.
#pragma once

#include <rocksdb/write_batch.h>

#include <cstdint>
#include <set>
#include <vector>

#include "store/mv_object.hpp"
#include "store/store.hpp"

namespace idsync::store {

class ReferenceIndex {
 public:
  explicit ReferenceIndex(Store& store) : store_(store) {}

  // The MV ids `object`'s reference attributes name (a tombstone's too: they go at purge).
  static std::set<uint64_t> targets(const MvObject& object);

  // Brings the entries of one holder from `before` to `after` (either may be null: created,
  // removed from the store).
  void update(rocksdb::WriteBatch& batch, const MvObject* before, const MvObject* after) const;
  // The holders of references to `target`, in id order.
  std::vector<uint64_t> holders(uint64_t target) const;

 private:
  Store& store_;
};

}  // namespace idsync::store
