#include "directory_info.hpp"

#include "dn_scope.hpp"

namespace idsync::ldap {

bool DirectoryInfo::supports(std::string_view oid) const {
  for (const auto& c : supported_controls)
    if (c == oid) return true;
  return false;
}

DirectoryInfo read_directory_info(Connection& connection) {
  const Entry root = connection.root_dse(
      {"namingContexts", "defaultNamingContext", "subschemaSubentry", "supportedControl",
       "highestCommittedUSN", "dsServiceName", "schemaNamingContext"});
  DirectoryInfo info;
  if (const auto* a = root.find("namingContexts")) info.naming_contexts = a->values;
  if (const auto* a = root.find("supportedControl")) info.supported_controls = a->values;
  info.default_naming_context = std::string(root.first("defaultNamingContext"));
  if (info.default_naming_context.empty() && !info.naming_contexts.empty())
    info.default_naming_context = info.naming_contexts.front();
  info.subschema_dn = std::string(root.first("subschemaSubentry"));
  info.highest_committed_usn = std::string(root.first("highestCommittedUSN"));
  info.ds_service_name = std::string(root.first("dsServiceName"));
  info.schema_naming_context = std::string(root.first("schemaNamingContext"));
  if (info.default_naming_context.empty())
    throw sdk::Error(IDSYNC_ERR_CONFIG,
                     "the server publishes no naming context in its root DSE: give "
                     "config.partitions");
  return info;
}

std::vector<std::string> partitions_to_read(const DirectoryInfo& info,
                                            const std::vector<std::string>& configured) {
  if (configured.empty()) return {info.default_naming_context};
  for (const auto& partition : configured) {
    bool known = info.naming_contexts.empty();
    for (const auto& nc : info.naming_contexts)
      if (normalize_dn(nc) == normalize_dn(partition)) known = true;
    if (!known)
      throw sdk::Error(IDSYNC_ERR_CONFIG, "config.partitions: \"" + partition +
                                              "\" is not a naming context of the server");
  }
  return configured;
}

}  // namespace idsync::ldap
