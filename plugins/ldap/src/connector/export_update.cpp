#include "export_update.hpp"

#include <stdexcept>

#include "dn_scope.hpp"
#include "export_consistency_guid.hpp"
#include "export_locator.hpp"
#include "export_password.hpp"
#include "export_rdn.hpp"
#include "export_redundant_values.hpp"
#include "ldap_error.hpp"

namespace idsync::ldap {

namespace {

std::string quoted(std::string_view text) { return "\"" + std::string(text) + "\""; }

bool same_dn(std::string_view a, std::string_view b) {
  try {
    return normalize_dn(a) == normalize_dn(b);
  } catch (const std::invalid_argument&) {
    return a == b;
  }
}

// Renames or moves the entry at `dn` to `new_dn`; a failure outcome, or nullopt when done.
std::optional<OpOutcome> rename(Connection& connection, const std::string& dn,
                                const std::string& new_dn) {
  try {
    normalize_dn(new_dn);
  } catch (const std::invalid_argument& e) {
    return OpOutcome::failed(IDSYNC_ERR_INVALID_VALUE,
                             "the new DN cannot be used: " + std::string(e.what()));
  }
  const std::string new_rdn = first_rdn(new_dn);
  const std::string new_parent = parent_dn(new_dn);
  const bool move = !same_dn(new_parent, parent_dn(dn));
  const OperationResult r = connection.rename(dn, new_rdn, move ? new_parent : std::string(), true);
  if (r.ok()) return std::nullopt;
  OpOutcome failed = OpOutcome::from_ldap(r, "rename of " + quoted(dn) + " to " + quoted(new_dn));
  // The object was just found, so "no such object" is about the new parent.
  if (r.code == LDAP_NO_SUCH_OBJECT) {
    failed.kind = IDSYNC_ERR_INVALID_VALUE;
    failed.message += " (the new parent container does not exist)";
  }
  return failed;
}

}  // namespace

OpOutcome export_update(DirectorySession& session, const sdk::ExportOp& op,
                        const ExportChanges& changes) {
  const Options& options = session.options();
  if (changes.has_password)
    if (auto refusal = password_refusal(options, session.connection().encrypted()))
      return OpOutcome::failed(IDSYNC_ERR_CONFIG, *refusal);

  const std::vector<std::string> wanted =
      options.active_directory() ? consistency_guid_attributes()
                                 : std::vector<std::string>{options.anchor_attribute()};
  std::optional<Entry> entry = find_by_anchor(session, op.anchor, wanted);
  if (!entry)
    return OpOutcome::failed(
        IDSYNC_ERR_UNKNOWN_OBJECT,
        "no object with anchor " + quoted(op.anchor) + " in the directory's partitions" +
            (op.dn.empty() ? std::string() : " (last seen as " + quoted(op.dn) + ")"));
  std::string dn = entry->dn;
  std::string renamed;  // says what was done already when the modify fails after a rename

  Connection& connection = session.connection();
  const std::string new_dn(op.new_dn);
  if (!new_dn.empty() && !same_dn(new_dn, dn)) {
    if (auto failed = rename(connection, dn, new_dn)) return *failed;
    renamed = " (the object was renamed to " + quoted(new_dn) + " first)";
    dn = new_dn;
    entry->dn = new_dn;
  }

  // AD refuses a modify of the naming attribute (single-valued there) even to the value the
  // rename set; elsewhere a replace of it may also drop other values, so it is sent.
  std::vector<Modification> mods =
      options.active_directory() ? without_rdn_replacements(changes.mods, dn) : changes.mods;
  if (!mods.empty()) {
    OperationResult r = connection.modify(dn, mods);
    if (may_be_redundant(r.code)) {
      if (auto rest = without_redundant_values(connection, dn, mods, session.schema())) {
        mods = std::move(*rest);
        r = mods.empty() ? OperationResult{} : connection.modify(dn, mods);
      }
    }
    if (!r.ok()) {
      OpOutcome failed = OpOutcome::from_ldap(r, "modify of " + quoted(dn));
      failed.message += renamed;
      return failed;
    }
  }
  ensure_consistency_guid(session, *entry);
  return OpOutcome::ok({}, dn);
}

}  // namespace idsync::ldap
