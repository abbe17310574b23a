// UPDATE: finds the object by its anchor (export_locator.hpp), not by the DN the host last saw;
// renames or moves it when the operation has a new DN (ldap_rename: the new RDN, and the new
// parent when it differs from the current one; the old RDN value is removed); then applies the
// attribute changes in one modify, retried once without values already in effect
// (export_redundant_values.hpp); for Active Directory without a replace of the naming attribute
// by the value the DN gives it (export_rdn.hpp). The result carries the DN the object has now.
#pragma once

#include <idsync/sdk.hpp>

#include "directory_session.hpp"
#include "export_changes.hpp"
#include "export_outcome.hpp"

namespace idsync::ldap {

OpOutcome export_update(DirectorySession& session, const sdk::ExportOp& op,
                        const ExportChanges& changes);

}  // namespace idsync::ldap
