// DELETE: finds the object by its anchor (export_locator.hpp) and deletes it. An object that is
// already gone fails with UNKNOWN_OBJECT, as the export contract says (tests/contract): the
// host keeps the pending delete with that error until the next import sees the object gone.
// An object with children is not deleted with them: the directory's "not allowed on non-leaf"
// comes back as an ERROR with its own message, for an admin to decide.
#pragma once

#include <idsync/sdk.hpp>

#include "directory_session.hpp"
#include "export_outcome.hpp"

namespace idsync::ldap {

OpOutcome export_delete(DirectorySession& session, const sdk::ExportOp& op);

}  // namespace idsync::ldap
