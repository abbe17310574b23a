// The host side of idsync_diag: remembers the error a hook reports and forwards its log lines
// to the host log, tagged with the connector.
#pragma once

#include <idsync/plugin_abi.h>

#include <string>

namespace idsync::common {

class DiagCollector {
 public:
  explicit DiagCollector(std::string source);
  const idsync_diag* diag() const { return &diag_; }

  bool has_error() const { return has_error_; }
  idsync_error_kind error_kind() const { return kind_; }
  const std::string& error_message() const { return message_; }
  void clear();
  // Records an error found by the host itself (contract violations, store failures).
  void set(idsync_error_kind kind, std::string message);

 private:
  static void on_set_error(void* ctx, idsync_error_kind kind, idsync_str message);
  static void on_log(void* ctx, int32_t level, idsync_str message);

  std::string source_;
  idsync_diag diag_;
  bool has_error_ = false;
  idsync_error_kind kind_ = IDSYNC_ERR_NONE;
  std::string message_;
};

}  // namespace idsync::common
