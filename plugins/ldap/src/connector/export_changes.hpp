// The LDAP attribute changes of one export operation: each attribute entry of the operation
// becomes one Modification, values converted to the directory's form (export_values.hpp),
// passwords encoded for the directory (export_password.hpp). Read-only attributes (those the
// schema marks no-user-modification or operational, and the anchor attribute) are left out
// rather than failing the operation: a rule that flows objectGUID or whenChanged back cannot
// be obeyed, and the rest of the change still can.
//
//   ADD     every entry is an initial value set: one attribute of the add; empty ones dropped.
//   UPDATE  REPLACE -> LDAP_MOD_REPLACE (no values clears the attribute)
//           ADD     -> LDAP_MOD_ADD (no values: nothing to do, dropped)
//           REMOVE  -> LDAP_MOD_DELETE of the values; with no values, the whole attribute is
//                      removed as LDAP_MOD_REPLACE with no values, which unlike a valueless
//                      LDAP_MOD_DELETE is not an error when the attribute is already absent.
#pragma once

#include <idsync/sdk.hpp>
#include <string>
#include <vector>

#include "connection.hpp"
#include "directory_schema.hpp"
#include "ldap_options.hpp"

namespace idsync::ldap {

struct ExportChanges {
  std::vector<Modification> mods;
  std::vector<std::string> secrets;  // the clear-text passwords among the values, to mask
  bool has_password = false;
  std::vector<std::string> skipped;  // read-only attributes left out

  // The modification of `attribute` (case-insensitive), or nullptr.
  const Modification* find(std::string_view attribute) const;
};

// Throws sdk::Error(INVALID_VALUE) naming the attribute when a value cannot be converted; the
// message never holds a password.
ExportChanges build_changes(const sdk::ExportOp& op, const Options& options,
                            const DirectorySchema& schema);

}  // namespace idsync::ldap
