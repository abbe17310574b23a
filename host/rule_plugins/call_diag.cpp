#include "rule_plugins/call_diag.hpp"

#include <idsync/sdk.hpp>

namespace idsync::rule_plugins {

CallDiag::CallDiag(const std::string& plugin, const idsync_host_info* log_to)
    : plugin_(plugin), log_to_(log_to) {
  diag_.struct_size = sizeof(idsync_diag);
  diag_.host_ctx = this;
  diag_.set_error = &CallDiag::set_error;
  diag_.log = &CallDiag::log;
}

std::string CallDiag::reason(idsync_status status) const {
  if (has_error_ && !error_.empty()) return error_;
  return "returned " + sdk::status_name(status) + " without a message";
}

std::string CallDiag::message(idsync_status status) const {
  return "plugin '" + plugin_ + "': " + reason(status);
}

// Called from plugin code: must not throw (ABI rule 5 holds in both directions).
void CallDiag::set_error(void* ctx, idsync_error_kind, idsync_str message) {
  auto* self = static_cast<CallDiag*>(ctx);
  try {
    self->error_.assign(sdk::view(message));
    // One line: messages end up in run reports and logs that are read line by line.
    for (char& c : self->error_)
      if (c == '\n' || c == '\r') c = ' ';
    self->has_error_ = true;
  } catch (...) {
    self->has_error_ = false;
  }
}

void CallDiag::log(void* ctx, int32_t level, idsync_str message) {
  auto* self = static_cast<CallDiag*>(ctx);
  try {
    if (self->log_to_ && self->log_to_->log)
      self->log_to_->log(self->log_to_->host_ctx, level, message);
  } catch (...) {
    // A log line is not worth failing the call for.
  }
}

}  // namespace idsync::rule_plugins
