// Export to the directory: add, modify at value level, rename and move (modrdn), delete, with
// passwords and (AD) account state. One result per operation.
//
// The operations of a batch are sent one at a time, in order; each gets exactly one result:
//   - success, with the anchor the directory assigned (ADD) and the DN the object has now;
//   - ERROR with the directory's own message for what the directory refused (a constraint or
//     schema violation: INVALID_VALUE; insufficient access: PERMISSION; a missing object:
//     UNKNOWN_OBJECT), or CONFIG for a password that cannot be sent unencrypted;
//   - RETRY when the server is busy, unavailable or unreachable. A connection lost mid-batch is
//     reopened before the next operation (at most twice a batch); when it cannot be, every
//     remaining operation gets RETRY with the reason, without being sent, and the hook then
//     fails with that reason (RETRY, CONNECTION) so that the export step stops rather than
//     sending its next batch to a directory it cannot reach.
// Cancellation is polled between operations: once the host asks to stop, the remaining
// operations get RETRY saying so, and the hook returns STOP. Passwords never appear in a message or
// a log line (export_password.hpp, mask_secrets).
#pragma once

#include <idsync/sdk.hpp>
#include <vector>

#include "directory_session.hpp"

namespace idsync::ldap {

void run_export(DirectorySession& session, const std::vector<sdk::ExportOp>& ops,
                sdk::ExportResults& results);

}  // namespace idsync::ldap
