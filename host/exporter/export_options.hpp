// What an export step is asked to do and what it reports.
#pragma once

#include <idsync/plugin_abi.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "importer/import_step.hpp"
#include "store/admin_settings.hpp"
#include "store/store.hpp"

namespace idsync::exporter {

struct ExportCounters {
  uint64_t adds = 0;     // pending adds (and the add half of delete-adds) the connector applied
  uint64_t updates = 0;  // pending updates applied
  uint64_t deletes = 0;  // pending deletes (and the delete half of delete-adds) applied
  uint64_t errors = 0;   // pending exports that failed (kept, with their error, for next time)
  uint64_t retried = 0;  // pending exports sent again after an earlier failed attempt
  uint64_t skipped = 0;  // pending exports not sent (staging mode, threshold, cancellation)
  uint64_t batches = 0;  // export_batch calls whose results are committed
  bool operator==(const ExportCounters&) const = default;
};

struct ExportStepOptions {
  uint32_t batch_size = 100;  // pending exports per export_batch call (a delete-add is one)
  // Accidental-delete protection (deletion_guard.hpp): more pending deletes than this stops
  // the step before anything is sent. 0 means every delete needs allowing.
  uint64_t deletion_threshold = 500;
  // When set, the deletes are compared with this percentage of the connector space's objects
  // instead of with deletion_threshold.
  std::optional<double> deletion_threshold_percent;
  // False: no limit at all; deletes never stop the step (the admin disabled the threshold).
  bool deletion_threshold_enabled = true;
  bool allow_deletes_once = false;  // the admin allowed this run's deletes (CLI flag)
  bool staging_mode = false;        // count what would be sent; send nothing
  // The run profile this step belongs to, named in the advice of a stopped export; empty when
  // the step runs outside one.
  std::string run_profile;
  const std::atomic<bool>* cancel = nullptr;               // checked between batches
  std::function<void(const ExportCounters&)> on_progress;  // after each committed batch
  std::function<int64_t()> now_unix_ms;  // the clock, for tests; empty: the system clock
};

struct ExportResult {
  // success, completed-warnings (a connector broke the result contract), completed-export-errors
  // (some pending exports failed and are kept), stopped-deletion-threshold-exceeded,
  // stopped-user, and the stopped-* statuses of importer::stopped_status for a failed batch.
  std::string status;
  std::string message;
  idsync_error_kind error_kind = IDSYNC_ERR_NONE;
  ExportCounters counters;
  bool resumed = false;  // continued an export interrupted after some committed batches
  uint64_t contract_violations = 0;

  bool ok() const { return status == "success" || status == "completed-warnings"; }
  // The shape the run history and the runtime keep (counters: run_counters).
  importer::StepResult to_step_result() const;
};

// Sets the threshold fields of `options` from an admin's deletion threshold setting.
void apply_deletion_threshold(const store::DeletionThreshold& threshold,
                              ExportStepOptions& options);
// Applies the admin-held settings of the store (store/admin_settings.hpp) to `options`: the
// connector's deletion threshold as above, and the store's staging mode flag, which turns
// staging_mode on but never off (a caller that set it from the manifest keeps it). Throws
// store::CorruptRecord for a damaged setting.
void apply_admin_settings(const store::Store& store, uint32_t connector_id,
                          ExportStepOptions& options);

// The run history's counters for an export: adds/updates/deletes as such, the pending exports
// sent as objects, the batches as pages.
store::ImportCounters run_counters(const ExportCounters& c);

}  // namespace idsync::exporter
