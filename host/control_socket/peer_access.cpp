#include "control_socket/peer_access.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace idsync::control {
namespace {

// The peer's supplementary groups as of its connect(); nullopt when the kernel does not know
// SO_PEERGROUPS (before Linux 4.13); an empty list when they cannot be read otherwise, which
// refuses the group check rather than guessing.
std::optional<std::vector<gid_t>> peer_groups(int fd) {
  std::vector<gid_t> groups(32);
  for (;;) {
    socklen_t size = static_cast<socklen_t>(groups.size() * sizeof(gid_t));
    if (::getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups.data(), &size) == 0) {
      groups.resize(size / sizeof(gid_t));
      return groups;
    }
    if (errno == ENOPROTOOPT) return std::nullopt;
    // ERANGE: `size` now says how much room the list needs.
    if (errno != ERANGE || size / sizeof(gid_t) <= groups.size()) return std::vector<gid_t>{};
    groups.resize(size / sizeof(gid_t));
  }
}

bool proc_lists_group(pid_t pid, gid_t gid) {
  if (pid <= 0) return false;  // a peer in another pid namespace has no pid here
  std::ifstream file("/proc/" + std::to_string(pid) + "/status");
  if (!file) return false;
  std::ostringstream text;
  text << file.rdbuf();
  return status_lists_group(text.str(), gid);
}

}  // namespace

bool status_lists_group(std::string_view status, gid_t gid) {
  constexpr std::string_view kLabel = "Groups:";
  std::size_t start = 0;
  while (start < status.size()) {
    std::size_t end = status.find('\n', start);
    if (end == std::string_view::npos) end = status.size();
    std::string_view line = status.substr(start, end - start);
    start = end + 1;
    if (!line.starts_with(kLabel)) continue;
    line.remove_prefix(kLabel.size());
    while (!line.empty()) {
      const std::size_t digits = line.find_first_not_of(" \t");
      if (digits == std::string_view::npos) break;
      line.remove_prefix(digits);
      gid_t value = 0;
      const auto [next, error] = std::from_chars(line.data(), line.data() + line.size(), value);
      if (error != std::errc()) return false;  // not the format the kernel writes
      if (value == gid) return true;
      line.remove_prefix(static_cast<std::size_t>(next - line.data()));
    }
    return false;
  }
  return false;
}

bool peer_allowed(const Connection& peer) {
  const uid_t own_uid = ::geteuid();
  const gid_t own_gid = ::getegid();
  if (peer.peer_uid() == own_uid || peer.peer_uid() == 0) return true;
  if (peer.peer_gid() == own_gid) return true;
  if (const auto groups = peer_groups(peer.fd())) {
    for (const gid_t group : *groups)
      if (group == own_gid) return true;
    return false;
  }
  return proc_lists_group(peer.peer_pid(), own_gid);
}

}  // namespace idsync::control
