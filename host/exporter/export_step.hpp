// Runs one Export step: sends a connector's pending exports to it in batches and stores each
// result with the object (docs/sync-engine.md, Export).
//
// Contract:
//   - Pending exports are read in anchor order, streaming, `batch_size` per export_batch call.
//     The connector is called on a thread of the step's own, one call at a time and in batch
//     order, while the step reads and prepares the next batch and commits the results of the
//     one before. A failure while reading (a damaged record) still commits the batches
//     already sent.
//     Each is sent at most once per export run; a failed one is kept and retried by the next
//     run, not within this one.
//   - Before anything is sent: staging mode sends nothing (status success, counters say what
//     would have gone); more pending deletes than the deletion threshold (deletion_guard.hpp)
//     send nothing (stopped-deletion-threshold-exceeded) unless allow_deletes_once; a disabled
//     threshold never stops the step.
//   - Each batch's results are committed in one WriteBatch with the export progress record
//     (export_progress.hpp): a stopped or crashed export continues, on the next run, after the
//     last committed batch with its counters, so results are neither lost nor counted twice.
//   - A batch the connector could not attempt (hook returns non-OK) fails its unreported ops
//     with that status and stops the step (importer::stopped_status: stopped-connectivity, ...).
//     The cancel flag is checked between batches (stopped-user).
//   - Ending: success; completed-export-errors when any pending export failed;
//     completed-warnings when the connector broke the one-result-per-op contract.
#pragma once

#include <idsync/plugin_abi.h>

#include <string>

#include "exporter/export_options.hpp"
#include "store/store.hpp"

namespace idsync::exporter {

ExportResult run_export(store::Store& store, const std::string& connector_name,
                        const idsync_connector_type& type, idsync_connector* instance,
                        const ExportStepOptions& options);

}  // namespace idsync::exporter
