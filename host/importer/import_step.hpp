// Runs one Full Import or Delta Import step ("stage only": it writes the connector space and
// nothing else), resuming an interrupted import of the same kind from its last committed page.
#pragma once

#include <idsync/plugin_abi.h>

#include <atomic>
#include <string>

#include "common/delete_limit.hpp"
#include "importer/import_sink.hpp"
#include "store/import_progress.hpp"
#include "store/store.hpp"

namespace idsync::importer {

struct ImportStepOptions {
  store::ImportKind kind = store::ImportKind::full;
  uint32_t page_size = 1000;
  const std::atomic<bool>* cancel = nullptr;  // set to ask the import to stop at a page end
  ProgressFn on_progress;
  // Source health: a complete full import that would stage more deletes than this stages
  // none and stops (stopped-source-health), unless an admin allows them for this run.
  common::DeleteLimit full_import_delete_limit = common::kDefaultFullImportDeleteLimit;
  bool allow_deletes_once = false;
  std::string run_profile;  // the profile running the step, for the command messages suggest
};

struct StepResult {
  // success, completed-warnings, stopped-user, stopped-connectivity, stopped-retry,
  // stopped-data-error, stopped-configuration, stopped-precondition, stopped-unsupported,
  // stopped-error, stopped-fatal, stopped-store-error, stopped-source-health (a full import's
  // deletes held back: source_health.hpp)
  std::string status;
  std::string message;  // what went wrong, or the warning; on success empty, or what ran
                        // instead (a full import in place of a delta)
  idsync_error_kind error_kind = IDSYNC_ERR_NONE;
  store::ImportCounters counters;
  // Per-object errors and warnings for the run history (at most store::kMaxListedIssues).
  std::vector<store::ObjectIssue> object_issues;
  bool resumed = false;    // continued an interrupted import
  bool restarted = false;  // the interrupted import could not be resumed and was started over
  // completed-sync-errors: a sync step finished and the objects in error wait for the next run,
  // so the rest of the run profile still runs.
  bool ok() const {
    return status == "success" || status == "completed-warnings" ||
           status == "completed-sync-errors";
  }
};

// `type` and `instance` come from the plugin host; the connector name keys its space. A delta
// import of a connector without one (no hook, or UNSUPPORTED before anything was staged) runs a
// full import in its place, and its message says so.
StepResult run_import(store::Store& store, const std::string& connector_name,
                      const idsync_connector_type& type, idsync_connector* instance,
                      const ImportStepOptions& options);

// The run-history status for a failed hook call.
std::string stopped_status(idsync_status status, idsync_error_kind kind);

}  // namespace idsync::importer
