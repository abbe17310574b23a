// Distinguished names as the connector compares them, and the scope of a directory import:
// which partitions (naming contexts) and which containers in them are synchronised. Directories
// spell the same DN many ways ("CN=Ann" vs "cn=ann", "\2C" vs "\,", spaces after commas), so
// every comparison goes through one normalised key.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace idsync::ldap {

// A comparison key for a DN: parsed as an LDAPv3 string DN (RFC 4514), or failing that in the
// older RFC 1779 form (quoted values, ';' separators) that Active Directory also accepts;
// attribute types and values lowercased (ASCII only: bytes >= 0x80 are kept as they are, so
// non-ASCII letters compare case-sensitively), spaces at the ends of a value dropped and runs
// of spaces inside it collapsed (the insignificant-space handling of case-ignore matching), the
// values of a multi-valued RDN sorted, special characters re-escaped as \xx, and the RDNs joined
// with ','. "CN=Smith\, John , OU=Staff" -> "cn=smith\2c john,ou=staff". The empty DN (the root)
// gives "". Throws std::invalid_argument naming the DN when it cannot be parsed.
std::string normalize_dn(std::string_view dn);

// True when dn equals container or lies below it, comparing whole normalised RDNs:
// "cn=x,ou=staffing,dc=a" is not within "ou=staff,dc=a". Every DN is within the root "".
// Throws std::invalid_argument naming the DN when either cannot be parsed.
bool dn_within(std::string_view dn, std::string_view container);

// The text after the first RDN and its separator, as written (only surrounding spaces
// trimmed): "CN=Smith\, John,OU=x,DC=y" -> "OU=x,DC=y"; "" for a DN of one RDN or none. Splits
// at the first ',' or ';' that is neither escaped nor inside a quoted value; does not otherwise
// check the DN (normalize_dn does).
std::string parent_dn(std::string_view dn);

// The first RDN as written, trimmed: "CN=Smith\, John,OU=x" -> "CN=Smith\, John". Same
// splitting as parent_dn.
std::string first_rdn(std::string_view dn);

// Which DNs an import covers. A DN is in scope when it lies within some partition and, among
// the include and exclude containers that hold it, the deepest one is an include; when that
// deepest one is an exclude, or when includes were given and none holds it, it is out. With no
// includes the whole of each partition is in scope apart from the excludes. So an exclude inside
// an include removes that subtree, and an include inside that exclude brings its own subtree
// back. A container both included and excluded is excluded. No partitions: nothing is in scope.
class Scope {
 public:
  // Throws std::invalid_argument naming the first DN that cannot be parsed.
  Scope(std::vector<std::string> partitions, std::vector<std::string> include,
        std::vector<std::string> exclude);

  // Throws std::invalid_argument naming dn when it cannot be parsed.
  bool contains(std::string_view dn) const;

 private:
  using Rdns = std::vector<std::string>;  // normalised, most specific first
  std::vector<Rdns> partitions_;
  std::vector<Rdns> include_;
  std::vector<Rdns> exclude_;
};

}  // namespace idsync::ldap
