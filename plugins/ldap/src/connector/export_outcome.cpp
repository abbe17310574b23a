#include "export_outcome.hpp"

#include "ldap_error.hpp"

namespace idsync::ldap {

OpOutcome OpOutcome::ok(std::string anchor, std::string dn) {
  OpOutcome o;
  o.anchor = std::move(anchor);
  o.dn = std::move(dn);
  return o;
}

OpOutcome OpOutcome::failed(idsync_error_kind kind, std::string message, idsync_status status) {
  OpOutcome o;
  o.status = status;
  o.kind = kind;
  o.message = std::move(message);
  return o;
}

OpOutcome OpOutcome::from_ldap(const OperationResult& result, std::string_view what) {
  const Classified c = classify(result.code);
  return failed(c.kind, describe(result.code, what, result.message),
                c.status == IDSYNC_OK ? IDSYNC_ERROR : c.status);
}

bool OpOutcome::lost_connection() const {
  return status == IDSYNC_RETRY && (kind == IDSYNC_ERR_CONNECTION || kind == IDSYNC_ERR_TIMEOUT);
}

std::string mask_secrets(std::string text, const std::vector<std::string>& secrets) {
  for (const auto& secret : secrets) {
    if (secret.empty()) continue;
    for (size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at + 8))
      text.replace(at, secret.size(), "********");
  }
  return text;
}

void report(sdk::ExportResults& results, uint64_t op_id, const OpOutcome& outcome,
            const std::vector<std::string>& secrets) {
  if (outcome.succeeded()) {
    results.ok(op_id, outcome.anchor, outcome.dn);
    return;
  }
  std::string message = mask_secrets(outcome.message, secrets);
  if (message.empty()) message = "the operation failed without a message from the directory";
  // An operation's result is RETRY or ERROR; anything graver is an error of this operation.
  results.fail(op_id, outcome.kind, message,
               outcome.status == IDSYNC_RETRY ? IDSYNC_RETRY : IDSYNC_ERROR);
}

}  // namespace idsync::ldap
