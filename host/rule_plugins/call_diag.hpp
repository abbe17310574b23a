// The idsync_diag handed to one rule function or transform call: keeps the error the plugin
// reports and sends its log lines to the plugin log (tagged with the plugin's name).
#pragma once

#include <idsync/plugin_abi.h>

#include <string>

namespace idsync::rule_plugins {

class CallDiag {
 public:
  // `plugin` names the plugin in message(); log lines go to `log_to` (plugin_host::host_info_for
  // of that plugin, made once per plugin, not per call: each one lives for the process). Both
  // must outlive this object.
  CallDiag(const std::string& plugin, const idsync_host_info* log_to);
  CallDiag(const CallDiag&) = delete;
  CallDiag& operator=(const CallDiag&) = delete;

  const idsync_diag* raw() const { return &diag_; }

  // Why a call returning `status` failed, one line: the plugin's message, or, when it set
  // none, "returned IDSYNC_ERROR without a message".
  std::string reason(idsync_status status) const;
  // The same, naming the plugin: "plugin 'p': <reason>".
  std::string message(idsync_status status) const;

 private:
  static void set_error(void* ctx, idsync_error_kind kind, idsync_str message);
  static void log(void* ctx, int32_t level, idsync_str message);

  const std::string& plugin_;
  const idsync_host_info* log_to_;
  std::string error_;
  bool has_error_ = false;
  idsync_diag diag_{};
};

}  // namespace idsync::rule_plugins
