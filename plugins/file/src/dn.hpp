// Just enough RFC 4514 DN handling for LDIF modrdn records: split off the first RDN, split an
// RDN into its attribute=value pairs and undo the value escaping.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace idsync::file {

// "cn=A\, B,ou=x,dc=y" -> {"cn=A\, B", "ou=x,dc=y"}. The parent is empty for a one-RDN DN.
struct DnSplit {
  std::string_view rdn;
  std::string_view parent;
};
DnSplit split_first_rdn(std::string_view dn);

struct Ava {
  std::string type;
  std::string value;  // unescaped
};
// Splits "cn=A+uid=b" into its pairs; false when the RDN is malformed (no '=', bad escape).
bool parse_rdn(std::string_view rdn, std::vector<Ava>& out);

}  // namespace idsync::file
