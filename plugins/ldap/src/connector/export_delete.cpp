#include "export_delete.hpp"

#include "export_locator.hpp"

namespace idsync::ldap {

namespace {

std::string quoted(std::string_view text) { return "\"" + std::string(text) + "\""; }

}  // namespace

OpOutcome export_delete(DirectorySession& session, const sdk::ExportOp& op) {
  const std::optional<Entry> entry =
      find_by_anchor(session, op.anchor, {session.options().anchor_attribute()});
  const std::string gone =
      "no object with anchor " + quoted(op.anchor) + " in the directory's partitions" +
      (op.dn.empty() ? std::string() : " (last seen as " + quoted(op.dn) + ")") +
      ": it is already deleted";
  if (!entry) return OpOutcome::failed(IDSYNC_ERR_UNKNOWN_OBJECT, gone);
  const OperationResult r = session.connection().remove(entry->dn);
  if (r.code == LDAP_NO_SUCH_OBJECT) return OpOutcome::failed(IDSYNC_ERR_UNKNOWN_OBJECT, gone);
  if (!r.ok()) return OpOutcome::from_ldap(r, "delete of " + quoted(entry->dn));
  return OpOutcome::ok({}, {});
}

}  // namespace idsync::ldap
