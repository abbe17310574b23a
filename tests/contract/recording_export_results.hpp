// The kit's idsync_export_results: keeps one result per operation and, like the host, answers
// IDSYNC_ERROR to a second report for the same op_id or to an op_id not in the batch.
#pragma once

#include <idsync/plugin_abi.h>

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace idsync::contract {

struct ExportResult {
  uint64_t op_id = 0;
  idsync_status status = IDSYNC_OK;
  idsync_error_kind error_kind = IDSYNC_ERR_NONE;
  std::string message;
  std::string anchor;
  std::string dn;
};

class RecordingExportResults {
 public:
  explicit RecordingExportResults(std::set<uint64_t> op_ids);
  // The plugin keeps host_ctx = this for the duration of export_batch: never move or copy.
  RecordingExportResults(const RecordingExportResults&) = delete;
  RecordingExportResults& operator=(const RecordingExportResults&) = delete;

  const idsync_export_results* get() const { return &results_; }
  // The first report of each op_id.
  const std::map<uint64_t, ExportResult>& results() const { return first_; }
  // Reports that were answered IDSYNC_ERROR (repeated or unknown op_id), and malformed ones.
  const std::vector<std::string>& violations() const { return violations_; }

 private:
  static idsync_status on_report(void* ctx, const idsync_export_result* result);
  static int32_t on_is_cancelled(void* ctx);

  idsync_export_results results_;
  std::set<uint64_t> op_ids_;
  std::map<uint64_t, ExportResult> first_;
  std::vector<std::string> violations_;
};

}  // namespace idsync::contract
