// The host side of idsync_export_results for one batch: keeps exactly one result per op.
//
// A second report for an op, or a report for an op id not in the batch, is answered ERROR and
// otherwise ignored (the ABI's rule), and counted as a contract violation so the step can say
// the connector is broken. After the call, fill_missing() gives every op without a result the
// batch's failure: the status the hook returned (or ERROR/INTERNAL when it returned OK without
// reporting, itself a violation).
#pragma once

#include <idsync/plugin_abi.h>

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace idsync::exporter {

struct OpResult {
  idsync_status status = IDSYNC_OK;
  idsync_error_kind kind = IDSYNC_ERR_NONE;
  std::string message;
  std::string anchor;     // ADD: the anchor the system assigned
  std::string dn;         // the DN the object now has, when it changed
  bool reported = false;  // false: filled in by fill_missing
};

class ResultCollector {
 public:
  ResultCollector(const std::vector<uint64_t>& op_ids, std::string connector,
                  const std::atomic<bool>* cancel);
  ResultCollector(const ResultCollector&) = delete;
  ResultCollector& operator=(const ResultCollector&) = delete;

  const idsync_export_results* results() const { return &sink_; }

  // After the hook returned `batch_status`: ops without a result fail with it (or, when it is
  // OK, with ERROR/INTERNAL and one violation per missing op).
  void fill_missing(idsync_status batch_status, idsync_error_kind kind, const std::string& message);

  const OpResult& result(uint64_t op_id) const;
  uint64_t reported_count() const { return reported_; }
  uint64_t violations() const { return violations_.size(); }
  const std::vector<std::string>& violation_messages() const { return violations_; }

 private:
  static idsync_status on_report(void* ctx, const idsync_export_result* r);
  static int32_t on_is_cancelled(void* ctx);
  void violation(std::string message);

  std::string connector_;
  const std::atomic<bool>* cancel_;
  std::unordered_map<uint64_t, size_t> index_;
  std::vector<std::optional<OpResult>> results_;
  uint64_t reported_ = 0;
  std::vector<std::string> violations_;
  idsync_export_results sink_{};
};

}  // namespace idsync::exporter
