// Value-level changes that are already in effect. An export is delivered at least once: after a
// crash between the directory applying a batch and the host recording it, the batch is sent
// again, and someone may have made the same change by hand meanwhile. Then LDAP refuses an
// LDAP_MOD_ADD of a value that is there ("type or value exists") and an LDAP_MOD_DELETE of one
// that is not ("no such attribute"), although the object already looks as the export wants.
// This reads the attributes concerned and drops exactly those values, so that the modify can be
// sent once more with what is left.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "connection.hpp"
#include "directory_schema.hpp"

namespace idsync::ldap {

// Whether a modify that failed with `code` may have failed for values already in effect.
bool may_be_redundant(int code);

// `mods` without the added values `dn` already holds and the deleted values it does not hold
// (DN values compared as normalised DNs, others byte for byte; modifications left with no
// values dropped). nullopt when nothing was redundant, so that a retry would fail again.
// Password attributes (never readable) are left as they are. Throws sdk::Error when the read
// fails.
std::optional<std::vector<Modification>> without_redundant_values(
    Connection& connection, const std::string& dn, const std::vector<Modification>& mods,
    const DirectorySchema& schema);

}  // namespace idsync::ldap
