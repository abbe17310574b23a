// Who may use the daemon: its own user, root and its group, even when the socket file lets
// others reach it.
#include "control_socket/peer_access.hpp"

#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "child_process.hpp"
#include "support.hpp"

using idsync::control::peer_allowed;
using idsync::control::SocketServer;
using idsync::control::status_lists_group;
using idsync::testing::ChildProcess;
using idsync::testing::Identity;
using idsync::testing::Link;
using idsync::testing::TempDir;
using namespace std::chrono_literals;

namespace {

// Connects as `who` to a socket whose file and folder were opened to everyone (the mistake the
// second check is for) and reports whether the daemon lets that peer in.
bool allowed_when_connecting_as(const Identity& who) {
  TempDir dir;
  SocketServer server(dir / "idsyncd.sock");
  REQUIRE(::chmod(dir.path().c_str(), 0755) == 0);
  REQUIRE(::chmod(server.path().c_str(), 0666) == 0);
  ChildProcess peer(who, [&]() -> std::string {
    auto connection = idsync::control::connect_to(server.path());
    if (!connection) return "no daemon";
    // Stay connected until the daemon has looked and closed.
    return connection->read_line(5s) ? "unexpected line" : "connected";
  });
  auto connection = server.accept(5s);
  REQUIRE(connection);
  CHECK(connection->peer_uid() == who.uid);
  const bool allowed = peer_allowed(*connection);
  connection.reset();
  CHECK(peer.result() == "connected");
  return allowed;
}

}  // namespace

TEST_CASE("the daemon's own process is allowed") {
  Link link;
  CHECK(peer_allowed(link.daemon));
}

TEST_CASE("a peer is allowed by user, primary group or supplementary group, else refused") {
  if (!idsync::testing::can_change_identity()) {
    WARN("skipped: connecting as other users needs root");
    return;
  }
  const gid_t daemon_group = ::getegid();
  // Not the daemon's user, not root, not in the daemon's group.
  CHECK_FALSE(allowed_when_connecting_as(Identity{}));
  CHECK_FALSE(allowed_when_connecting_as(Identity{.groups = {idsync::testing::kOutsiderGid - 1}}));
  CHECK(allowed_when_connecting_as(Identity{.gid = daemon_group, .groups = {}}));
  CHECK(allowed_when_connecting_as(Identity{.groups = {daemon_group}}));
}

TEST_CASE("the Groups: line of /proc/<pid>/status is read") {
  const std::string status =
      "Name:\tidsync\nUid:\t1000\t1000\t1000\t1000\nGid:\t100\t100\t100\t100\n"
      "Groups:\t4 24 1000 \nNStgid:\t42\n";
  CHECK(status_lists_group(status, 4));
  CHECK(status_lists_group(status, 24));
  CHECK(status_lists_group(status, 1000));
  CHECK_FALSE(status_lists_group(status, 100));  // the Gid: line is not the Groups: line
  CHECK_FALSE(status_lists_group(status, 42));
  CHECK_FALSE(status_lists_group(status, 10));  // a prefix of 1000 is not a member
  CHECK_FALSE(status_lists_group("Name:\tx\nGroups:\t\n", 0));
  CHECK_FALSE(status_lists_group("Name:\tx\n", 0));
  CHECK(status_lists_group("Groups:\t7", 7));  // without a final line break
}
