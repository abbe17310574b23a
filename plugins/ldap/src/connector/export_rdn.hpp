// The naming attribute values of a DN's first RDN ("CN=Smith\, John,OU=x" -> cn = "Smith, John"),
// so that an update does not also try to modify what a rename already set: a rule that flows cn
// and builds the DN from the same value would otherwise replace the RDN attribute, which Active
// Directory refuses (not allowed on RDN) even with the value it already holds.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "connection.hpp"

namespace idsync::ldap {

struct RdnValue {
  std::string attribute;
  std::string value;  // unescaped
};

// The attribute values of the first RDN of `dn`; empty when it cannot be parsed.
std::vector<RdnValue> rdn_values(std::string_view dn);

// `mods` without replacements of a naming attribute of `dn` by exactly its RDN value (compared
// case-insensitively, as naming attributes match): the DN already says so. Meant for Active
// Directory, whose naming attributes are single-valued.
std::vector<Modification> without_rdn_replacements(const std::vector<Modification>& mods,
                                                   std::string_view dn);

}  // namespace idsync::ldap
