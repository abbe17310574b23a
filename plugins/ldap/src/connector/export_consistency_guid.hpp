// Active Directory: after a user or group is exported (added or updated), its
// mS-DS-ConsistencyGuid is set to its objectGUID's 16 raw bytes when it has none, as Microsoft's
// own sync tools do, so that the attribute can serve as the source anchor (it survives a move to
// another forest, where the objectGUID does not). A value already there is never changed. Off
// with config.write_consistency_guid = false. A failure is logged as a warning and does not fail
// the export operation, which succeeded.
#pragma once

#include <string>
#include <vector>

#include "directory_session.hpp"
#include "entry.hpp"

namespace idsync::ldap {

// The attributes `ensure_consistency_guid` needs in the entry it is given.
const std::vector<std::string>& consistency_guid_attributes();

// Sets the attribute on `entry` when this is AD, the option is on, the entry is a user or a
// group and the attribute is empty. Never throws: a failure is a warning.
void ensure_consistency_guid(DirectorySession& session, const Entry& entry);

}  // namespace idsync::ldap
