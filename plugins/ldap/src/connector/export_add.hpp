// ADD: creates the entry at the operation's DN (the outbound rule's "dn" target) with its
// object classes, its initial values and, when given, its password, then reads back the anchor
// the directory assigned (objectGUID or entryUUID), which the result carries.
//
// Object classes: the operation's objectClass values when it has them; else the object type,
// which is the structural class: alone for Active Directory (which adds the superclasses itself)
// and with its superclass chain for other directories (inetOrgPerson, organizationalPerson,
// person, top). Active Directory wants a password and an enabling userAccountControl in the
// same add (an enabled account without a password is refused), so everything goes in one add.
#pragma once

#include <idsync/sdk.hpp>

#include "directory_session.hpp"
#include "export_changes.hpp"
#include "export_outcome.hpp"

namespace idsync::ldap {

// `changes` are build_changes(op); its secrets mask the result's message.
OpOutcome export_add(DirectorySession& session, const sdk::ExportOp& op,
                     const ExportChanges& changes);

}  // namespace idsync::ldap
