#include "export_rdn.hpp"

#include <ldap.h>

#include "directory_schema.hpp"
#include "dn_scope.hpp"

namespace idsync::ldap {

std::vector<RdnValue> rdn_values(std::string_view dn) {
  std::vector<RdnValue> out;
  const std::string rdn = first_rdn(dn);
  if (rdn.empty()) return out;
  LDAPDN parsed = nullptr;
  if (ldap_str2dn(rdn.c_str(), &parsed, LDAP_DN_FORMAT_LDAPV3) != LDAP_SUCCESS || !parsed)
    return out;
  if (parsed[0])
    for (LDAPAVA** ava = parsed[0]; *ava; ++ava)
      out.push_back(RdnValue{std::string((*ava)->la_attr.bv_val, (*ava)->la_attr.bv_len),
                             std::string((*ava)->la_value.bv_val, (*ava)->la_value.bv_len)});
  ldap_dnfree(parsed);
  return out;
}

std::vector<Modification> without_rdn_replacements(const std::vector<Modification>& mods,
                                                   std::string_view dn) {
  const std::vector<RdnValue> naming = rdn_values(dn);
  std::vector<Modification> out;
  for (const auto& m : mods) {
    bool in_dn = false;
    if (m.op == LDAP_MOD_REPLACE && m.values.size() == 1)
      for (const auto& n : naming)
        if (lower(n.attribute) == lower(m.attribute) && lower(n.value) == lower(m.values[0]))
          in_dn = true;
    if (!in_dn) out.push_back(m);
  }
  return out;
}

}  // namespace idsync::ldap
