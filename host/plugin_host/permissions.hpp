// Refuses plugin files another user could change: loading a library runs its code with the
// host's rights (often root, with the credentials of every connected system), so whoever can
// write the library, its plugin.json or the folders holding them controls the host.
#ifndef IDSYNC_PLUGIN_HOST_PERMISSIONS_HPP
#define IDSYNC_PLUGIN_HOST_PERMISSIONS_HPP

#include <filesystem>

namespace idsync::plugin_host {

enum class Kind { directory, regular_file };

// Throws RefusedError(path, ...) when `path` (symlinks followed) is missing, not of `kind`,
// writable by group or others (mode & 0022), or owned by someone other than root or the
// current effective user. The reason names the mode or owner and the command that fixes it.
void check_trusted(const std::filesystem::path& path, Kind kind);

}  // namespace idsync::plugin_host

#endif  // IDSYNC_PLUGIN_HOST_PERMISSIONS_HPP
