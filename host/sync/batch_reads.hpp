// What one inbound sync batch reads of the committed store before it computes
// (inbound_sync.hpp): its objects, and for those it does not pass by their links, the MV objects
// those name, whether they are explicit disconnectors, and for the unlinked ones the join index
// entries their join rules look up, with the candidate MV objects, their links and the records
// of their linked target objects that outbound flow compares against. Each kind of record is
// read for the whole batch at once (one MultiGet, or one iterator), which costs a fraction of a
// read per object.
//
// Every entry is kept under the store key it came from, so that reads taken ahead of a batch
// written meanwhile (read_ahead.hpp) can drop exactly what that batch may have changed
// (drop_written). A superset is fine: what the batch never asks for was read for nothing, and
// what it asks for that is not here it reads alone, as it would without these reads.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "common/string_map.hpp"
#include "store/batch_writer.hpp"
#include "store/cs_object.hpp"
#include "store/links.hpp"
#include "store/mv_object.hpp"
#include "store/store.hpp"
#include "sync/options.hpp"
#include "sync/rule_catalog.hpp"

namespace idsync::sync {

// The records of one linked target object: its CS object, pending export and export
// confirmation (absent when it has none).
struct TargetRecords {
  std::optional<std::string> cs, pending, confirm;
};

struct BatchReads {
  // Where the batch starts: after this anchor, or at the connector's first when absent.
  std::optional<std::string> after;
  // The batch's objects in anchor order: a Full Sync's next objects of the connector space, a
  // Delta Sync's next queued anchors with their records (absent: gone from the space).
  std::vector<std::string> anchors;
  std::vector<std::optional<store::CsObject>> objects;
  bool last = false;  // fewer than a batch: nothing follows it
  // Full Sync: the batch's anchors that are queued (their queue entries go with their sync).
  common::StringSet queued;
  // anchor -> the MV object it is linked to (absent: unlinked).
  common::StringMap<std::optional<uint64_t>> links;
  // anchor -> whether it is an explicit disconnector.
  common::StringMap<bool> disconnectors;
  // MV id -> the object (absent: no such object).
  std::unordered_map<uint64_t, std::optional<store::MvObject>> mvs;
  // MV id -> its links, for the join candidates.
  std::unordered_map<uint64_t, std::vector<store::Link>> mv_links;
  // store::JoinIndex::value_prefix -> the ids the committed index holds under it.
  common::StringMap<std::vector<uint64_t>> joins;
  // connector_key(target connector, anchor) -> that target object's records.
  common::StringMap<TargetRecords> targets;
};

// What to read for a step's batches. Everything it refers to must outlive the reads, and is
// only read by them: the catalog's lookups are const, so a reader thread may make them while
// the step's thread syncs.
struct BatchReadPlan {
  store::Store* store = nullptr;
  const RuleCatalog* catalog = nullptr;
  uint32_t connector_id = 0;
  std::string connector;  // as the rules spell it
  SyncKind kind = SyncKind::full;
  size_t batch_size = 1;
  // Whether sync passes the object by without reading anything of it (InboundSync::passes_by);
  // `object` is null for an anchor gone from the connector space.
  std::function<bool(std::string_view anchor, const store::CsObject* object)> passes_by;
  // The keys (connector_key) of the target objects whose records outbound flow compares
  // against for an MV object with these links; unset when outbound flow is not evaluated in
  // the batch.
  std::function<void(const store::MvObject& mv, const std::vector<store::Link>& links,
                     std::vector<std::string>& keys)>
      target_keys;
};

// Reads the records of the target objects under `keys` (connector_key) with one MultiGet into
// `out`, which keeps what it holds already.
void read_target_records(const store::Store& store, std::vector<std::string> keys,
                         common::StringMap<TargetRecords>& out);

// Reads the batch that starts after `after` (at the connector's first object when absent).
// Throws store::StoreError.
BatchReads read_batch(const BatchReadPlan& plan, const std::optional<std::string>& after);

// Drops from `reads`, read before the batch `written` was written (or while it was), every
// entry that batch may have changed. Returns false when it wrote among the batch's own records
// (its range of the connector space or of the sync queue): then `reads` may no longer hold the
// batch's objects as they are, and the caller reads the batch again.
bool drop_written(BatchReads& reads, const store::WrittenKeys& written, uint32_t connector_id);

}  // namespace idsync::sync
