// The client side: no daemon means nullopt, a refused permission names the path, and both ends
// see the other's credentials.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "child_process.hpp"
#include "control_socket/peer_access.hpp"
#include "support.hpp"

using Catch::Matchers::Contains;
using idsync::control::connect_to;
using idsync::control::ControlError;
using idsync::control::SocketServer;
using idsync::testing::ChildProcess;
using idsync::testing::Identity;
using idsync::testing::Link;
using idsync::testing::make_stale_socket;
using idsync::testing::TempDir;
using namespace std::chrono_literals;

TEST_CASE("connect_to is nullopt where no daemon listens") {
  TempDir dir;
  CHECK_FALSE(connect_to(dir / "idsyncd.sock"));
  CHECK_FALSE(connect_to(dir / "missing-folder" / "idsyncd.sock"));

  make_stale_socket(dir / "stale.sock");
  CHECK_FALSE(connect_to(dir / "stale.sock"));
  // Only the daemon replaces a stale file; the client leaves it.
  CHECK(std::filesystem::is_socket(dir / "stale.sock"));
}

TEST_CASE("connect_to reaches a listening daemon") {
  TempDir dir;
  SocketServer server(dir / "idsyncd.sock");
  auto cli = connect_to(server.path());
  REQUIRE(cli);
  auto daemon = server.accept(1s);
  REQUIRE(daemon);
  cli->write_line("hello");
  CHECK(daemon->read_line(1s) == "hello");
}

TEST_CASE("connect_to names the path when it is not allowed in") {
  TempDir dir;
  SocketServer server(dir / "idsyncd.sock");
  const std::string expected = "permission denied on " + server.path().string() +
                               ": only the daemon's user and group may use it";
  if (idsync::testing::can_change_identity()) {
    // Root may open anything: ask as a user outside the daemon's user and group.
    ChildProcess outsider(Identity{}, [&]() -> std::string {
      try {
        connect_to(server.path());
        return "connected";
      } catch (const ControlError& e) {
        return e.what();
      }
    });
    CHECK(outsider.result() == expected);
  } else {
    REQUIRE(::chmod(server.path().c_str(), 0) == 0);
    CHECK_THROWS_WITH(connect_to(server.path()), expected);
  }
}

TEST_CASE("connect_to throws naming the path for other failures") {
  TempDir dir;
  { std::ofstream(dir / "not-a-folder") << "x"; }
  const auto path = dir / "not-a-folder" / "idsyncd.sock";
  CHECK_THROWS_WITH(connect_to(path), Contains(path.string()));
}

TEST_CASE("each end sees the other's credentials") {
  Link link;
  // Both ends are this process.
  CHECK(link.daemon.peer_uid() == ::geteuid());
  CHECK(link.daemon.peer_gid() == ::getegid());
  CHECK(link.daemon.peer_pid() == ::getpid());
  CHECK(link.cli.peer_uid() == ::geteuid());
  CHECK(link.cli.peer_gid() == ::getegid());
  CHECK(link.cli.peer_pid() == ::getpid());
}

TEST_CASE("a Connection needs a socket") {
  CHECK_THROWS_AS(idsync::control::Connection(-1), ControlError);
}
