#include "referrals.hpp"

#include <ldap.h>

#include <idsync/sdk.hpp>

#include "dn_scope.hpp"

namespace idsync::ldap {

namespace {

std::string dn_of_url(const std::string& url) {
  LDAPURLDesc* desc = nullptr;
  if (ldap_url_parse(url.c_str(), &desc) != LDAP_URL_SUCCESS) return {};
  std::string dn = desc->lud_dn ? desc->lud_dn : "";
  ldap_free_urldesc(desc);
  return dn;
}

}  // namespace

void check_reference(const std::vector<std::string>& urls,
                     const std::vector<std::string>& naming_contexts, const Scope& scope) {
  for (const auto& url : urls) {
    const std::string dn = dn_of_url(url);
    if (dn.empty()) continue;
    std::string key;
    try {
      key = normalize_dn(dn);
    } catch (const std::invalid_argument&) {
      continue;
    }
    bool partition = false;
    for (const auto& nc : naming_contexts)
      if (normalize_dn(nc) == key) partition = true;
    if (partition || !scope.contains(dn)) continue;
    throw sdk::Error(IDSYNC_ERR_PRECONDITION,
                     "the directory refers \"" + dn + "\", which is in scope, to " + url +
                         "; referrals are not followed: exclude that container "
                         "(config.exclude_containers) or read that server with a connector of "
                         "its own");
  }
}

}  // namespace idsync::ldap
