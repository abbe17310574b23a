// The result of one export operation as the exporter decides it, before it is reported: success
// with the anchor and DN the object now has, or a failure with its status, kind and message.
// Kept apart from the SDK's ExportResults so that each operation's code returns a value and the
// batch loop alone reports, exactly once per operation.
#pragma once

#include <idsync/sdk.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "connection.hpp"

namespace idsync::ldap {

struct OpOutcome {
  idsync_status status = IDSYNC_OK;
  idsync_error_kind kind = IDSYNC_ERR_NONE;
  std::string message;
  std::string anchor;  // ADD: the anchor the directory assigned
  std::string dn;      // the DN the object has now

  static OpOutcome ok(std::string anchor, std::string dn);
  static OpOutcome failed(idsync_error_kind kind, std::string message,
                          idsync_status status = IDSYNC_ERROR);
  // The failure an LDAP result stands for (classify), with `what` and the server's diagnostic
  // message (describe).
  static OpOutcome from_ldap(const OperationResult& result, std::string_view what);

  bool succeeded() const { return status == IDSYNC_OK; }
  // A failure of the transport (server down, timeout): the connection is closed and the
  // operations after this one need a reconnect.
  bool lost_connection() const;
};

// Reports `outcome` for `op_id`. Every value in `secrets` (passwords the operation carried) is
// masked in the message first, so that a server that echoes a value cannot leak one.
void report(sdk::ExportResults& results, uint64_t op_id, const OpOutcome& outcome,
            const std::vector<std::string>& secrets = {});

// `text` with every occurrence of each non-empty value of `secrets` replaced by "********".
std::string mask_secrets(std::string text, const std::vector<std::string>& secrets);

}  // namespace idsync::ldap
