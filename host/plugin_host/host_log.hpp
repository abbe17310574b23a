// Where log lines go: the host's own discovery messages and what plugins log through
// idsync_host_info::log.
#ifndef IDSYNC_PLUGIN_HOST_HOST_LOG_HPP
#define IDSYNC_PLUGIN_HOST_HOST_LOG_HPP

#include <idsync/plugin_abi.h>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace idsync::plugin_host {

// level is one of IDSYNC_LOG_TRACE .. IDSYNC_LOG_ERROR.
using LogFn = std::function<void(int32_t level, std::string_view message)>;

// Sets where plugins' log lines go, for the whole process: a plugin may keep the host_info
// pointer and log at any time, so the sink cannot belong to one Registry. Each line arrives
// prefixed with "[<plugin name>] ". An empty function restores the default (INFO and above to
// stderr). Thread-safe.
void set_plugin_log(LogFn sink);

// The idsync_host_info offered to one plugin's entry. It lives until the process ends (the ABI
// lets the plugin keep the pointer) and tags the plugin's log lines with `plugin_name`.
const idsync_host_info* host_info_for(const std::string& plugin_name);

}  // namespace idsync::plugin_host

#endif  // IDSYNC_PLUGIN_HOST_HOST_LOG_HPP
