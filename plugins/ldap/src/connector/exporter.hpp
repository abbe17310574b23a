// Export to the directory: add, modify at value level, rename and move (modrdn), delete, with
// passwords and (AD) account state. One result per operation.
#pragma once

#include <idsync/sdk.hpp>
#include <vector>

#include "directory_session.hpp"

namespace idsync::ldap {

void run_export(DirectorySession& session, const std::vector<sdk::ExportOp>& ops,
                sdk::ExportResults& results);

}  // namespace idsync::ldap
