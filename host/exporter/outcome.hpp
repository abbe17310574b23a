// Stores what the connector answered for one batch, in one WriteBatch together with the export
// progress record, so a crash leaves either the whole batch's outcome or none of it.
//
// Per pending export:
//   applied  the pending export is removed; an export confirmation records the values sent
//            but the secret ones (confirm_builder.hpp), so a delivered password is no longer
//            in the store; an ADD whose system-assigned anchor differs from the
//            provisional one moves the CS object there (anchor_move.hpp).
//   failed   (RETRY and ERROR alike) the pending export stays with last_error {status, kind,
//            message, when} and attempts + 1; the next export run sends it again (with its
//            secret values: an initial password must go with the ADD that is retried).
//   delete-add: applied when its ADD was; when only the DELETE was, it stays as an ADD (the
//            old object is gone) with the ADD's error; otherwise it stays with the first error.
//
// The CS object's "pending export state" is not a field of the CS object: an object has an
// export pending while its PendingExport exists, and is awaiting confirmation while its
// ExportConfirm exists (until the next import checks it). Both are kept here.
#pragma once

#include <cstdint>

#include "exporter/export_options.hpp"
#include "exporter/export_progress.hpp"
#include "exporter/op_batch.hpp"
#include "exporter/result_collector.hpp"
#include "store/secret_attributes.hpp"
#include "store/store.hpp"

namespace idsync::exporter {

// Commits the batch's results and `progress` advanced past the batch (its checkpoint and
// counters are updated in place). Returns this batch's counters. The write goes behind
// (Store::write_behind): the connector gets the next batch while this one is written, and the
// caller must end the export with Store::wait_for_writes(). A crash then loses at most the
// results of the last two batches instead of one; the rerun sends them again, as it sends a
// batch whose results a crash lost before its commit. `secrets`: the connector's secret
// attributes.
ExportCounters commit_batch(store::Store& store, uint32_t connector_id, const OpBatch& batch,
                            const ResultCollector& results, ExportProgress& progress,
                            int64_t now_unix_ms, const store::SecretAttributes& secrets = {});

}  // namespace idsync::exporter
