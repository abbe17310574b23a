// Assertions that hold for every hook call, whatever the hook (ABI rule 5 and idsync_diag).
#pragma once

#include <idsync/plugin_abi.h>

#include <string>
#include <vector>

#include "contract/recording_diag.hpp"

namespace idsync::contract {

// CHECKs that `status` is a status a hook may return (defined, not INCOMPATIBLE, which is for
// entry negotiation only), that every non-OK status other than STOP (not an error: the host
// asked for it) comes with exactly one set_error carrying a defined kind and a non-empty
// message, and that the diag saw no breach. Returns whether all held.
//
// `host_gave_reason`: a host callback answered IDSYNC_ERROR during the call and, like the
// host's sinks, recorded why; the plugin then returns that status without a set_error of its
// own (plugin_abi.h, object_begin), and the breach is reported where it was found.
bool check_hook_status(const std::string& hook, idsync_status status, const RecordingDiag& diag,
                       bool host_gave_reason = false);

// Lines for an assertion message, "(none)" when empty.
std::string lines(const std::vector<std::string>& items);

}  // namespace idsync::contract
