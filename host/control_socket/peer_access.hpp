// Whether a process connected to the daemon's control socket may use the daemon.
//
// The socket file's mode 0660 already lets only the daemon's user and group in through the file
// system. This is the second check, on what the kernel says about the peer, so that a socket
// file someone made wider (chmod 0666, or a folder opened up) still refuses everyone else.
#pragma once

#include <sys/types.h>

#include <string_view>

#include "control_socket/unix_socket.hpp"

namespace idsync::control {

// True for the daemon's own user (its effective uid), for root, and for members of the daemon's
// group (its effective gid): as the primary group the kernel reports for the peer, or as one of
// its supplementary groups. The supplementary groups are those the peer had when it connected
// (SO_PEERGROUPS); on a kernel without that option they are read from /proc/<pid>/status
// ("Groups:"), which sees the process as it is now. False when the groups cannot be read.
bool peer_allowed(const Connection& peer);

// Whether `status`, the text of a /proc/<pid>/status file, lists `gid` on its "Groups:" line.
bool status_lists_group(std::string_view status, gid_t gid);

}  // namespace idsync::control
