// The connector's `test` hook: binds, reads the root DSE and the schema, checks the configured
// partitions and object classes, and checks that the delta source can work (for Active
// Directory: that the account may use DirSync). It fails with one message listing what is
// missing, so that an admin fixes everything in one round.
#pragma once

#include "delta_source.hpp"
#include "directory_session.hpp"

namespace idsync::ldap {

void check_connection(DirectorySession& session, DeltaSource& delta);

}  // namespace idsync::ldap
