#include "plugin_host/negotiate.hpp"

#include <algorithm>
#include <idsync/sdk.hpp>

#include "plugin_host/abi_copy.hpp"
#include "plugin_host/refusal.hpp"

namespace idsync::plugin_host {

namespace {

std::string abi(uint32_t minor) {
  return std::to_string(IDSYNC_ABI_MAJOR) + "." + std::to_string(minor);
}

std::string join(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + items[i];
  return out + "]";
}

// Ids in `a` that are not in `b` (both sorted).
std::vector<std::string> minus(const std::vector<std::string>& a,
                               const std::vector<std::string>& b) {
  std::vector<std::string> out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

void check_list(const char* kind, std::vector<std::string> listed,
                std::vector<std::string> declared, const std::filesystem::path& library) {
  std::sort(listed.begin(), listed.end());
  std::sort(declared.begin(), declared.end());
  if (listed == declared) return;
  std::string reason = std::string("plugin.json lists ") + kind + " types " + join(listed) +
                       " but the library declares " + join(declared);
  if (auto missing = minus(listed, declared); !missing.empty())
    reason += "; not in the library: " + join(missing);
  if (auto extra = minus(declared, listed); !extra.empty())
    reason += "; not in plugin.json: " + join(extra);
  throw RefusedError(library, reason);
}

}  // namespace

Negotiated negotiate(const EntryAnswer& answer, const Sidecar& sidecar,
                     const std::filesystem::path& library) {
  if (answer.status == IDSYNC_INCOMPATIBLE)
    throw RefusedError(library, "the plugin needs a newer ABI minor than this host offers (" +
                                    abi(answer.offered_minor) +
                                    "): its entry returned IDSYNC_INCOMPATIBLE; upgrade idsync");
  if (answer.status != IDSYNC_OK)
    throw RefusedError(library,
                       "the plugin's entry failed with " + sdk::status_name(answer.status));
  if (answer.info == nullptr)
    throw RefusedError(library, "the plugin's entry returned IDSYNC_OK but no plugin info");

  // First within what the offered minor allows (this makes abi_minor safe to read) ...
  Negotiated out;
  out.info = abi_copy(answer.info, answer.offered_minor, "plugin info", library);
  out.abi_minor = out.info.abi_minor;
  if (out.abi_minor > answer.offered_minor)
    throw RefusedError(library, "the plugin answered ABI minor " + std::to_string(out.abi_minor) +
                                    " (" + abi(out.abi_minor) + ") but this host offered at most " +
                                    abi(answer.offered_minor) + "; upgrade idsync");
  // ... then within what the minor the plugin chose allows.
  out.info = abi_copy(answer.info, out.abi_minor, "plugin info", library);

  if (out.abi_minor != sidecar.abi_minor)
    throw RefusedError(library, "plugin.json declares ABI " + abi(sidecar.abi_minor) +
                                    " but the library answers ABI minor " +
                                    std::to_string(out.abi_minor) + " (" + abi(out.abi_minor) +
                                    ")");
  if (out.info.name == nullptr || sidecar.name != out.info.name)
    throw RefusedError(library, "plugin.json names the plugin '" + sidecar.name +
                                    "' but the library calls itself '" +
                                    (out.info.name ? out.info.name : "") + "'");
  if (out.info.version == nullptr || sidecar.version != out.info.version)
    throw RefusedError(library, "plugin.json gives version " + sidecar.version +
                                    " but the library says " +
                                    (out.info.version ? out.info.version : "(none)"));
  if (out.info.connector_type_count > 0 && out.info.connector_types == nullptr)
    throw RefusedError(library, "plugin info declares " +
                                    std::to_string(out.info.connector_type_count) +
                                    " connector types but the array is NULL");
  if (out.info.rule_type_count > 0 && out.info.rule_types == nullptr)
    throw RefusedError(library, "plugin info declares " + std::to_string(out.info.rule_type_count) +
                                    " rule types but the array is NULL");
  return out;
}

void check_declared_types(const Sidecar& sidecar, const std::vector<std::string>& connector_ids,
                          const std::vector<std::string>& rule_ids,
                          const std::filesystem::path& library) {
  check_list("connector", sidecar.connector_types, connector_ids, library);
  check_list("rule", sidecar.rule_types, rule_ids, library);
}

}  // namespace idsync::plugin_host
