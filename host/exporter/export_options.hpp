// What an export step is asked to do and what it reports.
#pragma once

#include <idsync/plugin_abi.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "importer/import_step.hpp"

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
  // Accidental-delete protection: more pending deletes than this stops the step before
  // anything is sent. 0 means every delete needs allowing.
  uint64_t deletion_threshold = 500;
  // Also stop when the deletes exceed this percentage of the connector space's objects.
  std::optional<double> deletion_threshold_percent;
  bool allow_deletes_once = false;            // the admin allowed this run's deletes (CLI flag)
  bool staging_mode = false;                  // count what would be sent; send nothing
  const std::atomic<bool>* cancel = nullptr;  // checked between batches
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

// The run history's counters for an export: adds/updates/deletes as such, the pending exports
// sent as objects, the batches as pages.
store::ImportCounters run_counters(const ExportCounters& c);

}  // namespace idsync::exporter
