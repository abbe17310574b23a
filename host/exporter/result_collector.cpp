#include "exporter/result_collector.hpp"

#include <spdlog/spdlog.h>

#include <stdexcept>

namespace idsync::exporter {

ResultCollector::ResultCollector(const std::vector<uint64_t>& op_ids, std::string connector,
                                 const std::atomic<bool>* cancel)
    : connector_(std::move(connector)), cancel_(cancel), results_(op_ids.size()) {
  for (size_t i = 0; i < op_ids.size(); ++i) index_.emplace(op_ids[i], i);
  sink_.struct_size = sizeof(idsync_export_results);
  sink_.host_ctx = this;
  sink_.report = &ResultCollector::on_report;
  sink_.is_cancelled = &ResultCollector::on_is_cancelled;
}

void ResultCollector::violation(std::string message) {
  spdlog::warn("[{}] export contract violation: {}", connector_, message);
  violations_.push_back(std::move(message));
}

idsync_status ResultCollector::on_report(void* ctx, const idsync_export_result* r) {
  auto* self = static_cast<ResultCollector*>(ctx);
  if (!r) {
    self->violation("report() called with no result");
    return IDSYNC_ERROR;
  }
  const auto it = self->index_.find(r->op_id);
  if (it == self->index_.end()) {
    self->violation("a result for op " + std::to_string(r->op_id) + ", which is not in the batch");
    return IDSYNC_ERROR;
  }
  auto& slot = self->results_[it->second];
  if (slot) {
    self->violation("a second result for op " + std::to_string(r->op_id) + " (the first is kept)");
    return IDSYNC_ERROR;
  }
  OpResult o;
  o.status = r->status;
  o.kind = r->error_kind;
  if (r->message.ptr) o.message.assign(r->message.ptr, r->message.len);
  if (r->anchor.ptr) o.anchor.assign(reinterpret_cast<const char*>(r->anchor.ptr), r->anchor.len);
  if (r->dn.ptr) o.dn.assign(r->dn.ptr, r->dn.len);
  o.reported = true;
  // A failure with no reason would leave the admin nothing to act on.
  if (o.status != IDSYNC_OK && o.message.empty())
    o.message = "the connector reported failure without a message";
  slot = std::move(o);
  ++self->reported_;
  return IDSYNC_OK;
}

int32_t ResultCollector::on_is_cancelled(void* ctx) {
  const auto* self = static_cast<ResultCollector*>(ctx);
  return self->cancel_ && self->cancel_->load() ? 1 : 0;
}

void ResultCollector::fill_missing(idsync_status batch_status, idsync_error_kind kind,
                                   const std::string& message) {
  uint64_t missing = 0;
  for (auto& slot : results_) {
    if (slot) continue;
    ++missing;
    OpResult o;
    if (batch_status == IDSYNC_OK) {
      o.status = IDSYNC_ERROR;
      o.kind = IDSYNC_ERR_INTERNAL;
      o.message = "the connector returned OK without reporting a result for this operation";
    } else {
      o.status = batch_status;
      o.kind = kind;
      o.message = message;
    }
    slot = std::move(o);
  }
  if (batch_status == IDSYNC_OK && missing)
    violation("the batch returned OK with " + std::to_string(missing) + " operation(s) unreported");
}

const OpResult& ResultCollector::result(uint64_t op_id) const {
  const auto it = index_.find(op_id);
  if (it == index_.end() || !results_[it->second])
    throw std::logic_error("no result for op " + std::to_string(op_id));
  return *results_[it->second];
}

}  // namespace idsync::exporter
