// Marks of changed MV attributes (`mv_dirty`: mv id (8 bytes BE) -> DirtySet), the work list of
// outbound sync: inbound flow marks the attributes it changed in the batch that changes them;
// outbound sync reads the marks, computes pending exports and clears the marks in its batch.
//
// Marking again merges (a union of names) inside RocksDB through a merge operator, so marking
// needs no read and several marks of one object in one batch, or in batches not yet synced
// outbound, all accumulate.
//
// Value: format byte, flags (bit 0: the object itself changed: projected, deleted, or its type
// or links changed, so every outbound rule must look at it), name count, names (sorted
// case-insensitively, unique case-insensitively); in format 2 also the value changes (count,
// then per change: name, added values, removed values).
#pragma once

#include <rocksdb/merge_operator.h>
#include <rocksdb/write_batch.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/store.hpp"
#include "store/value_change.hpp"

namespace idsync::store {

struct DirtySet {
  bool object = false;             // see the flags above
  std::vector<std::string> names;  // sorted, unique (case-insensitively)
  // For some of `names`: how the attribute's values changed since the marks began (MV values:
  // for a reference attribute, MV ids as store::mv_key). A name without one changed as a
  // whole. Sorted by name, case-insensitively.
  std::vector<ValueChange> value_changes = {};
  bool operator==(const DirtySet&) const = default;

  const ValueChange* value_change(std::string_view name) const;
};

void encode_dirty_set(const DirtySet& set, std::string& out);
// Throws CorruptRecord on damage.
DirtySet decode_dirty_set(std::string_view value);
// The union of two sets (names compared case-insensitively; the first spelling is kept), `b`
// being the later marks: a name with value changes in both has them composed; a name changed
// as a whole in either is changed as a whole.
DirtySet merge_dirty_sets(const DirtySet& a, const DirtySet& b);

// The merge operator the store installs on `mv_dirty`.
std::shared_ptr<rocksdb::MergeOperator> dirty_attributes_merge_operator();

class DirtyAttributes {
 public:
  explicit DirtyAttributes(Store& store) : store_(store) {}

  std::optional<DirtySet> get(uint64_t mv_id) const;
  // Streams marked objects in id order; `visit` returns false to stop.
  void for_each(const std::function<bool(uint64_t mv_id, const DirtySet&)>& visit) const;
  // The same, starting after the mark of `after`.
  void for_each_after(uint64_t after,
                      const std::function<bool(uint64_t mv_id, const DirtySet&)>& visit) const;

  // Adds `names` (any order, duplicates allowed) to the object's marks.
  void mark(rocksdb::WriteBatch& batch, uint64_t mv_id, const std::vector<std::string>& names,
            bool object_changed = false) const;
  // Adds a whole set (its names and value changes as they are).
  void mark_set(rocksdb::WriteBatch& batch, uint64_t mv_id, const DirtySet& set) const;
  void clear(rocksdb::WriteBatch& batch, uint64_t mv_id) const;

 private:
  Store& store_;
};

}  // namespace idsync::store
