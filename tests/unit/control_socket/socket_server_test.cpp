// The daemon's listening socket: its file's mode and folder, what it replaces and what it never
// does, accept() timeouts and wake-ups, and removal on destruction.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <thread>

#include "support.hpp"

using Catch::Matchers::Contains;
using idsync::control::connect_to;
using idsync::control::ControlError;
using idsync::control::SocketServer;
using idsync::testing::accept_or_fail;
using idsync::testing::Background;
using idsync::testing::connect_or_fail;
using idsync::testing::make_stale_socket;
using idsync::testing::permissions_of;
using idsync::testing::stat_of;
using idsync::testing::TempDir;
using namespace std::chrono_literals;

namespace {

using Clock = std::chrono::steady_clock;

// Sets the process umask for one test and puts the previous one back.
class UmaskFor {
 public:
  explicit UmaskFor(mode_t mask) : previous_(::umask(mask)) {}
  ~UmaskFor() { ::umask(previous_); }

 private:
  mode_t previous_;
};

std::string contents_of(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Proves the server works: a line sent by a client arrives.
void check_serves(SocketServer& server) {
  auto cli = connect_or_fail(server.path());
  auto daemon = accept_or_fail(server);
  cli.write_line("ping");
  CHECK(daemon.read_line(1s) == "ping");
}

}  // namespace

TEST_CASE("the socket file has mode 0660 and a new folder 0750, whatever the umask") {
  const mode_t mask = GENERATE(mode_t{0}, mode_t{077}, mode_t{022});
  CAPTURE(mask);
  TempDir dir;
  const mode_t temp_dir_mode = permissions_of(dir.path());
  UmaskFor umask(mask);
  SocketServer server(dir / "run" / "idsync" / "idsyncd.sock");
  CHECK(S_ISSOCK(stat_of(server.path()).st_mode));
  CHECK(permissions_of(server.path()) == 0660);
  CHECK(permissions_of(dir / "run") == 0750);
  CHECK(permissions_of(dir / "run" / "idsync") == 0750);
  // A folder that existed is not changed.
  CHECK(permissions_of(dir.path()) == temp_dir_mode);
  check_serves(server);
}

TEST_CASE("path() is the path it was given") {
  TempDir dir;
  SocketServer server(dir / "idsyncd.sock");
  CHECK(server.path() == dir / "idsyncd.sock");
}

TEST_CASE("a stale socket file is replaced") {
  TempDir dir;
  const auto path = dir / "idsyncd.sock";
  make_stale_socket(path);
  REQUIRE(S_ISSOCK(stat_of(path).st_mode));
  REQUIRE_FALSE(connect_to(path));
  SocketServer server(path);
  check_serves(server);
}

TEST_CASE("a live server makes a second one throw and keeps serving") {
  TempDir dir;
  const auto path = dir / "idsyncd.sock";
  SocketServer first(path);
  const ino_t inode = stat_of(path).st_ino;
  CHECK_THROWS_WITH(SocketServer(path), "another idsyncd is serving " + path.string());
  CHECK(stat_of(path).st_ino == inode);

  auto cli = connect_or_fail(path);
  cli.write_line("ping");
  // The second server's check was a connection that ends without a line; then the client's.
  auto probe = accept_or_fail(first);
  CHECK(probe.read_line(1s) == std::nullopt);
  auto daemon = accept_or_fail(first);
  CHECK(daemon.read_line(1s) == "ping");
}

TEST_CASE("what is not a socket is never replaced") {
  TempDir dir;
  const auto path = dir / "idsyncd.sock";
  SECTION("a regular file") {
    std::ofstream(path) << "keep me";
    CHECK_THROWS_WITH(SocketServer(path), Contains("is not a socket"));
    CHECK(contents_of(path) == "keep me");
  }
  SECTION("a folder") {
    std::filesystem::create_directory(path);
    CHECK_THROWS_AS(SocketServer(path), ControlError);
    CHECK(std::filesystem::is_directory(path));
  }
  SECTION("a symbolic link to a stale socket") {
    make_stale_socket(dir / "elsewhere.sock");
    std::filesystem::create_symlink(dir / "elsewhere.sock", path);
    CHECK_THROWS_WITH(SocketServer(path), Contains("is not a socket"));
    CHECK(std::filesystem::is_symlink(path));
    CHECK(std::filesystem::exists(dir / "elsewhere.sock"));
  }
}

TEST_CASE("a path longer than a socket address holds throws") {
  TempDir dir;
  const auto path = dir / std::string(120, 'x');
  CHECK_THROWS_WITH(SocketServer(path), Contains("longer than the 107 bytes"));
  CHECK_THROWS_WITH(connect_to(path), Contains("longer than the 107 bytes"));
  CHECK_THROWS_AS(SocketServer(""), ControlError);
}

TEST_CASE("the destructor removes the socket file, but only its own") {
  TempDir dir;
  const auto path = dir / "idsyncd.sock";
  { SocketServer server(path); }
  CHECK_FALSE(std::filesystem::exists(std::filesystem::symlink_status(path)));

  // Another file put in its place since it was bound is someone else's.
  {
    SocketServer server(path);
    std::filesystem::remove(path);
    make_stale_socket(path);
  }
  CHECK(std::filesystem::is_socket(std::filesystem::symlink_status(path)));
}

TEST_CASE("accept returns nullopt when no connection comes in time") {
  TempDir dir;
  SocketServer server(dir / "idsyncd.sock");
  auto start = Clock::now();
  CHECK_FALSE(server.accept(50ms));
  const auto waited = Clock::now() - start;
  CHECK(waited >= 50ms);
  CHECK(waited < 1s);
  start = Clock::now();
  CHECK_FALSE(server.accept(0ms));
  CHECK(Clock::now() - start < 100ms);
}

TEST_CASE("wake() from another thread ends a blocked accept promptly") {
  TempDir dir;
  SocketServer server(dir / "idsyncd.sock");
  Background waker([&] {
    std::this_thread::sleep_for(50ms);
    server.wake();
  });
  const auto start = Clock::now();
  const auto accepted = server.accept(10s);
  const auto waited = Clock::now() - start;
  waker.join();
  CHECK_FALSE(accepted);
  CHECK(waited >= 40ms);  // it did wait for the wake-up
  CHECK(waited < 2s);
}

TEST_CASE("wake() before accept counts once, however often it was called") {
  TempDir dir;
  SocketServer server(dir / "idsyncd.sock");
  server.wake();
  server.wake();
  auto start = Clock::now();
  CHECK_FALSE(server.accept(10s));
  CHECK(Clock::now() - start < 1s);
  // Consumed: the next accept takes a connection, and the one after waits its full time.
  auto cli = connect_or_fail(server.path());
  CHECK(server.accept(1s));
  start = Clock::now();
  CHECK_FALSE(server.accept(30ms));
  CHECK(Clock::now() - start >= 30ms);
}
