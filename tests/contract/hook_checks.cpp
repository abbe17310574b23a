#include "contract/hook_checks.hpp"

#include <catch2/catch.hpp>

namespace idsync::contract {

std::string lines(const std::vector<std::string>& items) {
  if (items.empty()) return "(none)";
  std::string out;
  for (const std::string& item : items) out += "\n  " + item;
  return out;
}

bool check_hook_status(const std::string& hook, idsync_status status, const RecordingDiag& diag,
                       bool host_gave_reason) {
  INFO(hook << " returned " << status_name(status) << ", diag: " << diag.describe());
  bool ok = true;
  const bool defined = status >= IDSYNC_OK && status <= IDSYNC_UNSUPPORTED;
  CHECK(defined);
  ok = ok && defined;
  const bool needs_reason = status != IDSYNC_OK && status != IDSYNC_STOP && !host_gave_reason;
  if (needs_reason) {
    // The host shows this sentence to the admin; a bare status tells them nothing.
    CHECK(diag.error_calls() >= 1);
    CHECK_FALSE(diag.error_message().empty());
    ok = ok && diag.error_calls() >= 1 && !diag.error_message().empty();
  }
  // "Call at most once per failing call."
  CHECK(diag.error_calls() <= 1);
  ok = ok && diag.error_calls() <= 1;
  if (status == IDSYNC_OK && diag.error_calls() > 0)
    WARN(hook << " returned IDSYNC_OK but called set_error (" << diag.describe()
              << "); set_error describes a failing call");
  INFO("diag breaches:" << lines(diag.violations()));
  CHECK(diag.violations().empty());
  return ok && diag.violations().empty();
}

}  // namespace idsync::contract
