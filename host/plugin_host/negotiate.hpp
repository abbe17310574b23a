// Checks what a plugin's entry answered against what the host offered and what its
// plugin.json promised.
#ifndef IDSYNC_PLUGIN_HOST_NEGOTIATE_HPP
#define IDSYNC_PLUGIN_HOST_NEGOTIATE_HPP

#include <idsync/plugin_abi.h>

#include <filesystem>
#include <string>
#include <vector>

#include "plugin_host/loader.hpp"
#include "plugin_host/sidecar.hpp"

namespace idsync::plugin_host {

// The ABI minor both sides use and a host-owned copy of the plugin's idsync_plugin_info (its
// type arrays still point to the plugin's static arrays: the caller copies each type).
struct Negotiated {
  uint32_t abi_minor = 0;
  idsync_plugin_info info{};
};

// Refuses (RefusedError on `library`): a non-OK status (IDSYNC_INCOMPATIBLE means the plugin
// needs a newer minor), OK without info, an info minor above the offer or different from
// plugin.json's, a struct_size outside what that minor allows, a name or version other than
// plugin.json's, and a type count with a NULL array.
Negotiated negotiate(const EntryAnswer& answer, const Sidecar& sidecar,
                     const std::filesystem::path& library);

// Refuses when the type ids the library declares are not exactly those plugin.json lists
// (listing plugins reads only plugin.json, so it must not lie).
void check_declared_types(const Sidecar& sidecar, const std::vector<std::string>& connector_ids,
                          const std::vector<std::string>& rule_ids,
                          const std::filesystem::path& library);

}  // namespace idsync::plugin_host

#endif  // IDSYNC_PLUGIN_HOST_NEGOTIATE_HPP
