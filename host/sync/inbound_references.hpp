// Reference values on their way into the metaverse. A CS reference value names another object
// of the same connector: its DN, or its anchor for connectors whose objects have no DN
// (plugin_abi.h, IDSYNC_VALUE_REFERENCE). In the metaverse it becomes the id of the MV object
// that object is linked to (store/mv_object.hpp), so it survives renames in every connector.
//
// A reference to an object not linked yet (a group synced before its members, or a member out
// of every rule's scope) is left out of the MV value, and its holder is written down in
// store::ReferenceWaits; when the awaited object is linked, linked() hands back the holders so
// that the step syncs them again. Resolving costs a few point lookups per reference value.
#pragma once

#include <rocksdb/write_batch.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/cs_object.hpp"
#include "store/mv_object.hpp"
#include "store/reference_waits.hpp"
#include "store/store.hpp"
#include "sync/batch_overlay.hpp"
#include "sync/contribution.hpp"

namespace idsync::sync {

class InboundReferences {
 public:
  // `store` and `overlay` must outlive this object.
  InboundReferences(store::Store& store, BatchOverlay& overlay)
      : store_(store), overlay_(overlay), waits_(store) {}

  // Rewrites every reference contribution (the values of a CS object of `connector_id`) into
  // MV ids, sorted and distinct; a contribution left without values becomes NULL. With `batch`
  // set, each value that resolves to nothing is recorded as awaited by `holder` (the CS
  // object's anchor).
  void resolve(Contributions& contributions, uint32_t connector_id, rocksdb::WriteBatch* batch,
               std::string_view holder);

  // The value-level path (a member added to a large group resolves that member alone): moves
  // out of `contributions` each reference contribution that a Direct flow (merge type Update,
  // not "apply once") fills from a CS attribute the import changed value by value
  // (CsObject::value_changes), into an MV attribute of `current` that the same rule of this
  // connector holds; its values become the MV values the previous sync left, plus the added
  // references resolved, minus the removed ones. A removed reference that no longer resolves
  // (its object is gone or renamed) leaves the contribution to resolve() as a whole. Returns
  // the contributions moved, with their values resolved, and in `changes` how the MV
  // attribute's values change. The caller must only take this path when the rules are those
  // of the previous sync (a Delta Sync after a Full Sync under the same rules): the previous
  // values are only the right starting point then.
  Contributions resolve_changes(Contributions& contributions, const store::CsObject& object,
                                const store::MvObject& current, uint32_t connector_id,
                                rocksdb::WriteBatch* batch, std::string_view holder,
                                std::vector<store::ValueChange>& changes);

  // `object` of `connector_id` was just linked: the anchors of the objects of that connector
  // that waited for it (by its anchor or its DN), their entries removed in `batch`.
  std::vector<std::string> linked(rocksdb::WriteBatch& batch, uint32_t connector_id,
                                  const store::CsObject& object);

  // The batch was written.
  void flushed() { waits_.flushed(); }

  // How many unresolved values resolve() and resolve_changes() have written down so far: a
  // change tells the caller that the object it just resolved waits for another.
  uint64_t waits_recorded() const { return waits_recorded_; }

 private:
  void wait(rocksdb::WriteBatch& batch, uint32_t connector_id, std::string_view value,
            std::string_view holder);
  // The CS object a reference value names (by DN, else by anchor) and its MV object.
  struct Named {
    std::string anchor;
    uint64_t mv_id = 0;
  };
  std::optional<Named> resolve_named(uint32_t connector_id, std::string_view value);
  std::optional<uint64_t> resolve_one(uint32_t connector_id, std::string_view value);

  store::Store& store_;
  BatchOverlay& overlay_;
  store::ReferenceWaits waits_;
  uint64_t waits_recorded_ = 0;
};

}  // namespace idsync::sync
