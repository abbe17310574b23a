#include "contract/recording_diag.hpp"

#include <iostream>
#include <mutex>
#include <utility>

#include "contract/text.hpp"

namespace idsync::contract {

namespace {

std::mutex secrets_mutex;
std::vector<std::string>& secret_values() {
  static std::vector<std::string> values;
  return values;
}

}  // namespace

void set_secret_values(std::vector<std::string> values) {
  std::lock_guard lock(secrets_mutex);
  secret_values() = std::move(values);
}

RecordingDiag::RecordingDiag()
    : diag_{sizeof(idsync_diag), this, &RecordingDiag::on_set_error, &RecordingDiag::on_log} {}

std::string RecordingDiag::describe() const {
  if (error_calls_ == 0) return "no error reported through set_error";
  return error_kind_name(kind_) + " \"" + message_ + "\"";
}

void RecordingDiag::check_secrets(const std::string& text, const char* where) {
  std::lock_guard lock(secrets_mutex);
  for (const std::string& secret : secret_values())
    // Very short secrets would match by accident ("1" in a line number).
    if (secret.size() >= 4 && text.find(secret) != std::string::npos)
      violations_.push_back(std::string(where) + " contains the value of a secret config field");
}

void RecordingDiag::on_set_error(void* ctx, idsync_error_kind kind, idsync_str message) {
  auto* self = static_cast<RecordingDiag*>(ctx);
  ++self->error_calls_;
  self->kind_ = kind;
  self->message_ = std::string(view(message));
  if (kind < IDSYNC_ERR_NONE || kind > IDSYNC_ERR_INTERNAL)
    self->violations_.push_back("set_error with undefined error kind " + std::to_string(kind));
  if (!is_valid_utf8(self->message_))
    self->violations_.push_back("set_error message is not valid UTF-8");
  self->check_secrets(self->message_, "set_error message");
}

void RecordingDiag::on_log(void* ctx, int32_t level, idsync_str message) {
  auto* self = static_cast<RecordingDiag*>(ctx);
  std::string text(view(message));
  if (level < IDSYNC_LOG_TRACE || level > IDSYNC_LOG_ERROR)
    self->violations_.push_back("log with undefined level " + std::to_string(level));
  self->check_secrets(text, "log line");
  // Warnings and errors are what a vendor needs to see next to a failure; the rest would
  // drown the report.
  if (level >= IDSYNC_LOG_WARN)
    std::cerr << "plugin " << (level == IDSYNC_LOG_WARN ? "warning" : "error") << ": " << text
              << "\n";
  self->logs_.push_back({level, std::move(text)});
}

}  // namespace idsync::contract
