#include "control_socket/unix_socket.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstring>
#include <system_error>
#include <thread>
#include <utility>

namespace idsync::control {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr mode_t kSocketMode = 0660;
constexpr mode_t kFolderMode = 0750;
// How long connect_to() keeps trying a daemon whose queue of pending connections is full.
constexpr milliseconds kConnectQueueWait{5000};
constexpr milliseconds kConnectQueueRetry{10};

std::string describe_errno(int error) { return std::system_category().message(error); }

// Closes the descriptor it holds unless release()d; keeps half-built objects from leaking one.
class UniqueFd {
 public:
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

UniqueFd new_unix_socket(int extra_flags) {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | extra_flags, 0);
  if (fd < 0) throw ControlError("cannot create a Unix socket: " + describe_errno(errno));
  return UniqueFd(fd);
}

sockaddr_un socket_address(const std::filesystem::path& path) {
  const std::string& text = path.native();
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (text.empty()) throw ControlError("the control socket path is empty");
  // One byte stays for the terminating NUL: Linux would accept a path that fills sun_path, but
  // other tools reading the address would not find its end.
  if (text.size() >= sizeof address.sun_path)
    throw ControlError("the control socket path " + text + " is longer than the " +
                       std::to_string(sizeof address.sun_path - 1) +
                       " bytes a Unix socket address holds");
  std::memcpy(address.sun_path, text.data(), text.size());
  return address;
}

int connect_unix(int fd, const sockaddr_un& address) {
  return ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address);
}

// The moment `timeout` from now. Absurdly long timeouts are capped so that adding them to the
// clock cannot overflow; zero or less is now.
Clock::time_point deadline_after(milliseconds timeout) {
  constexpr milliseconds kLongest = std::chrono::hours(24 * 365 * 10);
  return Clock::now() + std::clamp(timeout, milliseconds(0), kLongest);
}

// What is left until `deadline`, rounded up and clamped to what poll() takes.
int poll_timeout_until(Clock::time_point deadline) {
  const auto left = std::chrono::ceil<milliseconds>(deadline - Clock::now()).count();
  return static_cast<int>(std::clamp<decltype(left)>(left, 0, INT_MAX));
}

// "0.05", "1.5", "30": seconds as people write them.
std::string seconds_text(milliseconds timeout) {
  const auto ms = std::max<milliseconds::rep>(timeout.count(), 0);
  std::string text = std::to_string(ms / 1000);
  if (const auto fraction = ms % 1000; fraction != 0) {
    std::string digits = std::to_string(fraction);
    digits.insert(0, 3 - digits.size(), '0');
    digits.erase(digits.find_last_not_of('0') + 1);
    text += "." + digits;
  }
  return text;
}

// Waits until `fd` has one of `events` or `deadline` passes; false on timeout.
bool wait_for(int fd, short events, Clock::time_point deadline) {
  for (;;) {
    pollfd entry{fd, events, 0};
    const int ready = ::poll(&entry, 1, poll_timeout_until(deadline));
    if (ready > 0) return true;
    if (ready == 0) return false;
    if (errno != EINTR)
      throw ControlError("waiting on the control socket: " + describe_errno(errno));
  }
}

// Creates `folder` and any missing folders above it with kFolderMode. The mode is set
// explicitly because mkdir() applies the umask, which could leave the group without access.
void create_folders(const std::filesystem::path& folder) {
  if (folder.empty()) return;
  struct stat status {};
  if (::stat(folder.c_str(), &status) == 0) return;  // a non-folder here makes bind() fail
  create_folders(folder.parent_path());
  if (::mkdir(folder.c_str(), kFolderMode) != 0) {
    if (errno == EEXIST) return;  // made by someone else meanwhile: theirs to set up
    throw ControlError("cannot create the folder " + folder.native() +
                       " for the control socket: " + describe_errno(errno));
  }
  if (::chmod(folder.c_str(), kFolderMode) != 0)
    throw ControlError("cannot set the mode of " + folder.native() + ": " + describe_errno(errno));
}

// Makes `path` free for bind(): removes a socket file that nothing accepts on, and throws for a
// live one or for anything that is not a socket.
void remove_stale_socket(const std::filesystem::path& path, const sockaddr_un& address) {
  struct stat status {};
  if (::lstat(path.c_str(), &status) != 0) {
    if (errno == ENOENT) return;
    throw ControlError("cannot inspect " + path.native() + ": " + describe_errno(errno));
  }
  if (!S_ISSOCK(status.st_mode))
    throw ControlError(path.native() + " exists and is not a socket; remove it or choose " +
                       "another control socket path");
  // Non-blocking, so that a live daemon with a full queue answers EAGAIN instead of keeping
  // this start-up waiting.
  UniqueFd probe = new_unix_socket(SOCK_NONBLOCK);
  if (connect_unix(probe.get(), address) == 0 || errno == EAGAIN)
    throw ControlError("another idsyncd is serving " + path.native());
  if (errno == ENOENT) return;  // removed meanwhile
  if (errno != ECONNREFUSED)
    throw ControlError("cannot tell whether a daemon serves " + path.native() + ": " +
                       describe_errno(errno));
  if (::unlink(path.c_str()) != 0 && errno != ENOENT)
    throw ControlError("cannot remove the stale socket " + path.native() + ": " +
                       describe_errno(errno));
}

}  // namespace

// --- Connection -------------------------------------------------------------------------------

Connection::Connection(int fd) : fd_(fd) {
  ucred credentials{};
  socklen_t size = sizeof credentials;
  if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &size) != 0) {
    const int error = errno;
    if (fd >= 0) ::close(fd);
    throw ControlError("cannot read the peer's credentials on the control socket: " +
                       describe_errno(error));
  }
  peer_uid_ = credentials.uid;
  peer_gid_ = credentials.gid;
  peer_pid_ = credentials.pid;
}

Connection::Connection(Connection&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      peer_uid_(other.peer_uid_),
      peer_gid_(other.peer_gid_),
      peer_pid_(other.peer_pid_),
      buffer_(std::move(other.buffer_)),
      consumed_(std::exchange(other.consumed_, 0)),
      scanned_(std::exchange(other.scanned_, 0)) {
  other.buffer_.clear();
}

Connection& Connection::operator=(Connection&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    peer_uid_ = other.peer_uid_;
    peer_gid_ = other.peer_gid_;
    peer_pid_ = other.peer_pid_;
    buffer_ = std::move(other.buffer_);
    other.buffer_.clear();
    consumed_ = std::exchange(other.consumed_, 0);
    scanned_ = std::exchange(other.scanned_, 0);
  }
  return *this;
}

Connection::~Connection() {
  if (fd_ >= 0) ::close(fd_);
}

std::optional<std::string> Connection::take_buffered_line() {
  const std::size_t end = buffer_.find('\n', consumed_ + scanned_);
  if (end == std::string::npos) {
    scanned_ = buffer_.size() - consumed_;
    return std::nullopt;
  }
  std::string line = buffer_.substr(consumed_, end - consumed_);
  consumed_ = end + 1;
  scanned_ = 0;
  return line;
}

bool Connection::read_some() {
  buffer_.erase(0, consumed_);
  consumed_ = 0;
  // Never ask for more than the unfinished line may still grow by (plus the one byte that
  // proves it too long), so a peer that never sends '\n' cannot make the buffer grow further.
  char chunk[64 * 1024];
  const std::size_t wanted = std::min(sizeof chunk, kMaxLineBytes + 1 - buffer_.size());
  for (;;) {
    // MSG_DONTWAIT: poll() said there is something, but a blocking read must never be what
    // ends up waiting, since only poll() honours the timeout.
    const ssize_t got = ::recv(fd_, chunk, wanted, MSG_DONTWAIT);
    if (got > 0) {
      buffer_.append(chunk, static_cast<std::size_t>(got));
      return true;
    }
    if (got == 0) return false;
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return true;  // nothing after all; poll again
    throw ControlError("reading from the control socket: " + describe_errno(errno));
  }
}

std::optional<std::string> Connection::read_line(milliseconds timeout) {
  const auto deadline = deadline_after(timeout);
  for (;;) {
    if (auto line = take_buffered_line()) return line;
    if (buffer_.size() - consumed_ > kMaxLineBytes)
      throw ControlError("a line on the control socket is longer than the limit of " +
                         std::to_string(kMaxLineBytes) + " bytes");
    if (!wait_for(fd_, POLLIN, deadline))
      throw ControlError("no request within " + seconds_text(timeout) + " s");
    if (!read_some()) {
      if (buffer_.size() == consumed_) return std::nullopt;
      throw ControlError("the control socket's stream ended in the middle of a line");
    }
  }
}

void Connection::write_line(std::string_view line) {
  if (line.find('\n') != std::string_view::npos)
    throw std::invalid_argument("a line for the control socket holds a line break");
  if (line.size() > kMaxLineBytes)
    throw std::invalid_argument("a line for the control socket is longer than the limit of " +
                                std::to_string(kMaxLineBytes) + " bytes");
  std::string data;
  data.reserve(line.size() + 1);
  data.append(line);
  data.push_back('\n');
  std::size_t sent = 0;
  while (sent < data.size()) {
    // MSG_NOSIGNAL: a CLI that was interrupted must not kill the daemon with SIGPIPE.
    const ssize_t wrote = ::send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (wrote >= 0) {
      sent += static_cast<std::size_t>(wrote);
      continue;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {  // a non-blocking socket handed to us
      wait_for(fd_, POLLOUT, Clock::time_point::max());
      continue;
    }
    if (errno == EPIPE || errno == ECONNRESET)
      throw ControlError("the peer closed the control connection");
    throw ControlError("writing to the control socket: " + describe_errno(errno));
  }
}

void Connection::finish_writing() {
  if (::shutdown(fd_, SHUT_WR) != 0)
    throw ControlError("closing the writing side of the control socket: " + describe_errno(errno));
}

// --- SocketServer -----------------------------------------------------------------------------

SocketServer::SocketServer(std::filesystem::path path) : path_(std::move(path)) {
  const sockaddr_un address = socket_address(path_);
  create_folders(path_.parent_path());
  remove_stale_socket(path_, address);

  UniqueFd wake(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (wake.get() < 0) throw ControlError("cannot create an eventfd: " + describe_errno(errno));
  // Non-blocking, so that accept4() after poll() cannot wait for a connection that vanished.
  UniqueFd listener = new_unix_socket(SOCK_NONBLOCK);
  // The mode of a socket's inode becomes the mode of the file bind() creates (less the umask),
  // so the file never exists with more than 0660.
  if (::fchmod(listener.get(), kSocketMode) != 0)
    throw ControlError("cannot set the mode of the control socket: " + describe_errno(errno));
  if (::bind(listener.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    if (errno == EADDRINUSE)  // bound by someone else since the stale check
      throw ControlError("another idsyncd is serving " + path_.native());
    throw ControlError("cannot bind the control socket " + path_.native() + ": " +
                       describe_errno(errno));
  }
  // From here the file is ours: a failure must not leave it behind.
  try {
    struct stat status {};
    if (::lstat(path_.c_str(), &status) != 0)
      throw ControlError("cannot inspect " + path_.native() + ": " + describe_errno(errno));
    bound_dev_ = status.st_dev;
    bound_ino_ = status.st_ino;
    // The umask may have taken the group's bits away; give them back (this only widens to
    // 0660, never past it).
    if ((status.st_mode & 07777) != kSocketMode && ::chmod(path_.c_str(), kSocketMode) != 0)
      throw ControlError("cannot set the mode of " + path_.native() + ": " + describe_errno(errno));
    if (::listen(listener.get(), SOMAXCONN) != 0)
      throw ControlError("cannot listen on " + path_.native() + ": " + describe_errno(errno));
  } catch (...) {
    ::unlink(path_.c_str());
    throw;
  }
  listen_fd_ = listener.release();
  wake_fd_ = wake.release();
}

SocketServer::~SocketServer() {
  // Unlinked before closing: while the socket is still open, no other daemon can have judged
  // the file stale and replaced it between the check and the unlink.
  struct stat status {};
  if (::lstat(path_.c_str(), &status) == 0 && S_ISSOCK(status.st_mode) &&
      status.st_dev == bound_dev_ && status.st_ino == bound_ino_)
    ::unlink(path_.c_str());
  ::close(listen_fd_);
  ::close(wake_fd_);
}

std::optional<Connection> SocketServer::accept(milliseconds timeout) {
  const auto deadline = deadline_after(timeout);
  for (;;) {
    pollfd entries[2] = {{wake_fd_, POLLIN, 0}, {listen_fd_, POLLIN, 0}};
    const int ready = ::poll(entries, 2, poll_timeout_until(deadline));
    if (ready < 0) {
      if (errno == EINTR) continue;
      throw ControlError("waiting for connections on " + path_.native() + ": " +
                         describe_errno(errno));
    }
    // The wake-up wins over a waiting connection: it usually means the daemon is stopping.
    if (entries[0].revents != 0) {
      std::uint64_t count = 0;
      // Reading resets the counter, so any number of wake() calls count as one. EAGAIN only
      // means another accept() took it first.
      [[maybe_unused]] const ssize_t got = ::read(wake_fd_, &count, sizeof count);
      return std::nullopt;
    }
    if (ready == 0) return std::nullopt;
    if ((entries[1].revents & POLLIN) == 0)
      throw ControlError("the listening socket " + path_.native() + " failed");
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd >= 0) return Connection(fd);
    if (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK && errno != ECONNABORTED)
      throw ControlError("accepting a connection on " + path_.native() + ": " +
                         describe_errno(errno));
  }
}

void SocketServer::wake() {
  // A signal handler must leave errno as it found it.
  const int saved_errno = errno;
  const std::uint64_t one = 1;
  // Fails only when the counter is full, and then a wake-up is pending anyway.
  [[maybe_unused]] const ssize_t wrote = ::write(wake_fd_, &one, sizeof one);
  errno = saved_errno;
}

// --- Client -----------------------------------------------------------------------------------

std::optional<Connection> connect_to(const std::filesystem::path& path) {
  const sockaddr_un address = socket_address(path);
  const auto give_up = Clock::now() + kConnectQueueWait;
  for (;;) {
    // Non-blocking, so that a daemon with a full queue answers EAGAIN instead of keeping the
    // CLI waiting without bound; the socket becomes blocking once connected.
    UniqueFd sock = new_unix_socket(SOCK_NONBLOCK);
    if (connect_unix(sock.get(), address) == 0) {
      const int flags = ::fcntl(sock.get(), F_GETFL);
      if (flags < 0 || ::fcntl(sock.get(), F_SETFL, flags & ~O_NONBLOCK) != 0)
        throw ControlError("cannot set up the connection to " + path.native() + ": " +
                           describe_errno(errno));
      return Connection(sock.release());
    }
    switch (errno) {
      case ENOENT:
      case ECONNREFUSED:
        return std::nullopt;
      case EACCES:
        throw ControlError("permission denied on " + path.native() +
                           ": only the daemon's user and group may use it");
      case EINTR:
        continue;
      case EAGAIN:
        if (Clock::now() >= give_up)
          throw ControlError("the daemon at " + path.native() + " accepts no connections (its " +
                             "queue stayed full for " + seconds_text(kConnectQueueWait) + " s)");
        std::this_thread::sleep_for(kConnectQueueRetry);
        continue;
      default:
        throw ControlError("cannot connect to " + path.native() + ": " + describe_errno(errno));
    }
  }
}

}  // namespace idsync::control
