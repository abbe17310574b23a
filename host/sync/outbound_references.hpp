// Reference values on their way out of the metaverse. An MV reference value is an MV id; a
// target connector gets the DN of its own object linked to that MV object (or its anchor, for
// connectors whose objects have no DN). A member not in the target connector (yet) is left
// out, and the holder is written down in store::ReferenceWaits: when outbound sync provisions
// the member there, the holder is marked to be evaluated again, so the member flows then.
#pragma once

#include <rocksdb/write_batch.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/pending_export.hpp"
#include "store/reference_waits.hpp"
#include "store/store.hpp"
#include "store/value_change.hpp"
#include "sync/target_state.hpp"

namespace idsync::sync {

class OutboundReferences {
 public:
  explicit OutboundReferences(store::Store& store) : store_(store), waits_(store) {}

  // Rewrites the reference attributes of `want` (MV ids) into the names connector
  // `connector_id` knows them by, sorted and distinct. Returns the MV ids that have no object
  // there (or one whose name is not known before its export: DN-less and not yet exported).
  std::vector<uint64_t> translate(DesiredAttributes& want, uint32_t connector_id);

  // A value change of an MV reference attribute (MV ids) as the deltas of target attribute
  // `name` of connector `connector_id`, whose values are `expected` (null: none): an add of
  // the added references the target lacks, a remove of the removed ones it holds; the added
  // references with no object there go to `missing`. Nullopt when a removed reference has no
  // name there any more (its object went): only the whole list can tell what to remove then.
  std::optional<std::vector<store::AttributeDelta>> translate_change(
      const store::ValueChange& change, uint32_t connector_id, const std::string& name,
      const TargetAttribute* expected, std::vector<uint64_t>& missing);

  // MV object `mv_id` was provisioned into `connector_id` in the current batch, with `dn`.
  void provisioned(uint32_t connector_id, uint64_t mv_id, const std::string& dn);
  // `holder` wants a reference to `target`, which has no object in `connector_id` yet.
  void wait(rocksdb::WriteBatch& batch, uint32_t connector_id, uint64_t target, uint64_t holder);
  // `mv_id` was linked in `connector_id`: the holders that waited for it, their entries
  // removed in `batch`.
  std::vector<uint64_t> linked(rocksdb::WriteBatch& batch, uint32_t connector_id, uint64_t mv_id);
  // The batch was written.
  void flushed();

 private:
  std::optional<std::string> name_in(uint32_t connector_id, uint64_t mv_id) const;

  store::Store& store_;
  store::ReferenceWaits waits_;
  std::map<std::pair<uint32_t, uint64_t>, std::string> provisioned_;  // this batch: DN
};

}  // namespace idsync::sync
