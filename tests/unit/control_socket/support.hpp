// Real sockets for the control socket's tests: a daemon side and a CLI side connected through a
// socket file in a private folder, and ways to put raw bytes or stale files in their way.
#pragma once

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <exception>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <utility>

#include "control_socket/unix_socket.hpp"
#include "support/temp_dir.hpp"

namespace idsync::testing {

using namespace std::chrono_literals;

inline control::Connection connect_or_fail(const std::filesystem::path& path) {
  auto connection = control::connect_to(path);
  if (!connection) throw std::runtime_error("no daemon listens at " + path.string());
  return std::move(*connection);
}

inline control::Connection accept_or_fail(control::SocketServer& server) {
  auto connection = server.accept(5s);
  if (!connection) throw std::runtime_error("no connection arrived at " + server.path().string());
  return std::move(*connection);
}

// One connection: `cli` connected to `server`, and `daemon` the server's end of it.
struct Link {
  TempDir dir;
  control::SocketServer server{dir / "idsyncd.sock"};
  control::Connection cli = connect_or_fail(server.path());
  control::Connection daemon = accept_or_fail(server);
};

// Runs `work` on another thread; join() waits for it and rethrows what it threw. When a failed
// check leaves the test before join(), the destructor first calls `unblock`, so that work stuck
// on a socket nobody serves any more ends, and then joins.
class Background {
 public:
  explicit Background(
      std::function<void()> work, std::function<void()> unblock = [] {})
      : unblock_(std::move(unblock)), thread_([this, work = std::move(work)] {
          try {
            work();
          } catch (...) {
            error_ = std::current_exception();
          }
        }) {}
  Background(const Background&) = delete;
  Background& operator=(const Background&) = delete;
  ~Background() {
    if (!thread_.joinable()) return;
    unblock_();
    thread_.join();
  }
  void join() {
    thread_.join();
    if (error_) std::rethrow_exception(error_);
  }

 private:
  std::function<void()> unblock_;
  std::exception_ptr error_;
  std::thread thread_;  // last: started once the rest is in place
};

// Sends `bytes` as they are, past Connection's framing.
inline void send_raw(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t sent = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (sent < 0) {
      if (errno == EINTR) continue;
      throw std::system_error(errno, std::system_category(), "send");
    }
    bytes.remove_prefix(static_cast<std::size_t>(sent));
  }
}

// Leaves at `path` what a daemon that died leaves: a socket file nothing accepts on.
inline void make_stale_socket(const std::filesystem::path& path) {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  if (fd < 0) throw std::system_error(errno, std::system_category(), "socket");
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
  const int bound = ::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address);
  const int error = errno;
  ::close(fd);
  if (bound != 0) throw std::system_error(error, std::system_category(), "bind");
}

inline struct stat stat_of(const std::filesystem::path& path) {
  struct stat status {};
  if (::lstat(path.c_str(), &status) != 0)
    throw std::system_error(errno, std::system_category(), "lstat " + path.string());
  return status;
}

inline mode_t permissions_of(const std::filesystem::path& path) {
  return stat_of(path).st_mode & 07777;
}

}  // namespace idsync::testing
