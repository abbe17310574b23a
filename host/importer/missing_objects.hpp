// The objects a complete full import did not see: those it stages as deleted, in one pass
// after its last page. A full import marks every object it sees with its generation
// (cs_seen), so "missing" is "present in the connector space without this generation's mark".
//
// Never missing: an object already pending delete (its delete is staged), and a placeholder,
// under a provisional anchor (store/provisional_anchor.hpp) or awaiting its add under its final
// one (store::CsObject::awaiting_add), which the connected system has not been sent yet and so
// cannot return.
#pragma once

#include <cstdint>

#include "store/store.hpp"

namespace idsync::importer {

struct MissingObjects {
  uint64_t missing = 0;  // the deletes the import would stage
  uint64_t objects = 0;  // every object that could be missing: the seen and the missing
};

// Whether the connector space holds any object an import could find missing: one that is not
// a placeholder. A full import that begins without one (the first import of a
// connector, the bulk of an initial load) cannot end with anything missing, and skips the
// pass over every object that looks for them.
bool holds_importable_objects(store::Store& store, uint32_t connector_id);

// Counts, writing nothing: the source-health guard decides on this before anything is staged.
MissingObjects count_missing(store::Store& store, uint32_t connector_id, uint64_t generation);

// Stages a delete for every missing object, in batches (idempotent if interrupted: a rerun
// finds the same objects unseen and skips those already marked deleted). Objects that sync
// never saw disappear; `queue_for_sync` queues each one for sync either way (see
// ProgressRecords::synced_once). Returns how many deletes it staged.
uint64_t stage_missing_as_deleted(store::Store& store, uint32_t connector_id, uint64_t generation,
                                  bool queue_for_sync);

}  // namespace idsync::importer
