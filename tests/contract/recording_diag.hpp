// The kit's idsync_diag: records what a hook reports instead of logging it, so a test can
// assert that every non-OK status comes with a reason.
#pragma once

#include <idsync/plugin_abi.h>

#include <cstdint>
#include <idsync/sdk.hpp>
#include <string>
#include <vector>

namespace idsync::contract {

class RecordingDiag {
 public:
  struct LogLine {
    int32_t level;
    std::string message;
  };

  RecordingDiag();
  // The plugin keeps host_ctx = this for the duration of a hook: never move or copy.
  RecordingDiag(const RecordingDiag&) = delete;
  RecordingDiag& operator=(const RecordingDiag&) = delete;

  const idsync_diag* get() const { return &diag_; }

  // How often set_error was called during the hook; the ABI allows at most once.
  int error_calls() const { return error_calls_; }
  idsync_error_kind error_kind() const { return kind_; }
  const std::string& error_message() const { return message_; }
  const std::vector<LogLine>& logs() const { return logs_; }
  // Contract breaches seen in the callbacks (unknown error kind or log level, a secret's
  // value in a message). Callbacks cannot assert: a Catch2 exception must not unwind through
  // plugin code, so they record and the test asserts after the hook returned.
  const std::vector<std::string>& violations() const { return violations_; }

  // One line for assertion messages: `kind "message"` or "no error reported".
  std::string describe() const;

 private:
  static void on_set_error(void* ctx, idsync_error_kind kind, idsync_str message);
  static void on_log(void* ctx, int32_t level, idsync_str message);
  void check_secrets(const std::string& text, const char* where);

  idsync_diag diag_;
  int error_calls_ = 0;
  idsync_error_kind kind_ = IDSYNC_ERR_NONE;
  std::string message_;
  std::vector<LogLine> logs_;
  std::vector<std::string> violations_;
};

// Values of secret config fields that no message may contain (ABI: "Never include secrets").
// Set by the harness once it resolved the connector config.
void set_secret_values(std::vector<std::string> values);

// Names of statuses and error kinds for messages: the SDK's, so host, kit and plugins agree.
using sdk::error_kind_name;
using sdk::status_name;

}  // namespace idsync::contract
