// The transport between the `idsync` CLI and the `idsyncd` daemon: a Unix stream socket that
// carries '\n'-terminated lines (what the lines mean is the caller's business).
//
// Contract:
//   - Who may connect is decided by the file system first: the socket file has mode 0660, so
//     only the daemon's user and group (and root) can open it. peer_access.hpp is the second
//     check, on the credentials the kernel reports for the peer.
//   - A line is at most kMaxLineBytes bytes without its '\n'. A reader never buffers more than
//     that plus one byte of a line it has not finished, so a peer cannot make it allocate
//     without bound.
//   - Every file descriptor made here is close-on-exec, so plugins or commands the daemon
//     starts do not inherit the socket.
//   - Writes never raise SIGPIPE: a peer that went away is a ControlError, which a daemon that
//     streams progress to a CLI turns into "stop streaming".
//   - Failures throw ControlError with a message that says what failed, naming the socket's
//     path where there is one.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace idsync::control {

struct ControlError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The longest line either side reads or writes, without its '\n'. A request or a progress
// message is far shorter; the limit exists so that a wrong or hostile peer cannot exhaust memory.
inline constexpr std::size_t kMaxLineBytes = 1 << 20;

// One accepted or connected Unix stream socket. Move-only; closes on destruction. A moved-from
// Connection holds no socket (fd() is -1) and may only be destroyed or assigned to.
//
// One thread reads and one thread writes at a time; reading and writing from two different
// threads at once is fine.
class Connection {
 public:
  // Takes ownership of `fd`, a connected AF_UNIX stream socket (blocking or not). Reads the
  // peer's credentials at once; throws ControlError, having closed `fd`, when they cannot be
  // read (`fd` is not a Unix socket).
  explicit Connection(int fd);
  Connection(Connection&& other) noexcept;
  Connection& operator=(Connection&& other) noexcept;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  int fd() const { return fd_; }

  // The peer's credentials from SO_PEERCRED, read once at construction: those of the process
  // that connected (on the daemon's side) or that started listening (on the CLI's side), as
  // they were at that moment. The uid and gid are the effective ones.
  uid_t peer_uid() const { return peer_uid_; }
  gid_t peer_gid() const { return peer_gid_; }
  pid_t peer_pid() const { return peer_pid_; }

  // The next line, without its '\n' (a '\r' before it is kept: the caller's protocol decides).
  // std::nullopt at end of stream, that is a clean close before any byte of a new line.
  // `timeout` bounds the whole line, not each read; zero or less means "only what has
  // arrived already". Bytes read past the line stay buffered for the next call.
  // Throws ControlError:
  //   - "no request within N s" when the line is not complete in time;
  //   - when the line would be longer than kMaxLineBytes (having read at most one byte past the
  //     limit, so the rest of the stream is left unread);
  //   - when the stream ends in the middle of a line;
  //   - on a read error (as a connection reset by the peer).
  // After a throw the line framing can no longer be trusted: the caller closes the connection.
  std::optional<std::string> read_line(std::chrono::milliseconds timeout);

  // Writes `line` and a '\n', all of it: partial writes and EINTR are retried, and a full
  // socket buffer blocks until the peer reads. Never raises SIGPIPE (MSG_NOSIGNAL).
  // Throws ControlError when the peer has gone (EPIPE, ECONNRESET) or on any other write error;
  // how much of the line reached the peer is then unknown.
  // Throws std::invalid_argument, writing nothing, when `line` holds a '\n' (the peer would read
  // two lines) or is longer than kMaxLineBytes (the peer would refuse it).
  void write_line(std::string_view line);

  // Half-closes the writing side (shutdown SHUT_WR): the peer's read_line returns std::nullopt
  // once it has read everything written before, while this side can still read. Throws
  // ControlError when the shutdown fails.
  void finish_writing();

 private:
  // The next complete line held in buffer_, consumed; nullopt when there is none.
  std::optional<std::string> take_buffered_line();
  // Appends what the socket has (at most enough to exceed kMaxLineBytes by one byte); false at
  // end of stream. Throws ControlError on a read error.
  bool read_some();

  int fd_ = -1;
  uid_t peer_uid_ = 0;
  gid_t peer_gid_ = 0;
  pid_t peer_pid_ = 0;
  // Bytes read; those before consumed_ were returned already. They are dropped only before the
  // next read, so that taking many short lines out of one read does not move the rest each time.
  std::string buffer_;
  std::size_t consumed_ = 0;
  // How far past consumed_ buffer_ is known to hold no '\n', so that a long line arriving in
  // many pieces is not scanned again from its start after each one.
  std::size_t scanned_ = 0;
};

// The daemon's listening socket. Not copyable or movable: wake() may be called from another
// thread, which must be able to rely on the object staying where it is. accept() is meant for
// one thread at a time.
class SocketServer {
 public:
  // Binds `path` and listens.
  //   - The parent folder is created with mode 0750 when missing (so are missing folders above
  //     it); an existing folder is left as it is.
  //   - A socket file that nothing accepts on (left by a daemon that died) is replaced. One that
  //     a live process accepts on makes this throw ControlError("another idsyncd is serving
  //     <path>") and is left alone, so the running daemon keeps working.
  //     Telling the two apart takes a connection that is closed at once: a live daemon sees
  //     a connection that ends without a line (read_line returns std::nullopt).
  //   - Anything at `path` that is not a socket (a regular file, a folder, a symbolic link)
  //     throws ControlError and is never removed.
  //   - The socket file gets mode 0660 (owner and group may connect) whatever the umask, and is
  //     never looser than that at any moment: the mode is set on the socket before bind() gives
  //     the file a name, and raised to 0660 afterwards only when the umask took bits away.
  //     The umask itself is not touched, since it is shared by every thread of the process.
  //   - Throws ControlError for an empty path, or one longer than sockaddr_un's sun_path holds.
  explicit SocketServer(std::filesystem::path path);
  SocketServer(const SocketServer&) = delete;
  SocketServer& operator=(const SocketServer&) = delete;
  // Closes the socket and removes the socket file, but only when the file at `path` is still
  // the one this object bound (same device and inode): a file someone put there since is kept.
  ~SocketServer();

  const std::filesystem::path& path() const { return path_; }

  // Waits up to `timeout` for a connection (zero or less: only one already waiting).
  // std::nullopt on timeout, or at once when wake() was called since the last accept() that
  // returned because of it. EINTR and connections that vanish before they are accepted
  // (ECONNABORTED) do not end the wait. Throws ControlError on other errors, as when the
  // process is out of file descriptors.
  std::optional<Connection> accept(std::chrono::milliseconds timeout);

  // Makes a concurrent accept(), or else the next one, return std::nullopt at once. Any number
  // of calls before that accept() count as one. Safe from any thread, and async-signal-safe
  // (one write(2) to an eventfd), so a signal handler may call it too.
  void wake();

 private:
  std::filesystem::path path_;
  int listen_fd_ = -1;
  int wake_fd_ = -1;
  // Which file this object bound, so that the destructor removes only that one.
  dev_t bound_dev_ = 0;
  ino_t bound_ino_ = 0;
};

// Client side: connects to the daemon listening at `path`.
// std::nullopt when no daemon listens there: nothing at the path (ENOENT), or a file nothing
// accepts on (ECONNREFUSED: a stale socket file left by a daemon that died, or a file that is
// not a socket at all); the CLI then works in-process. A stale file is left for the daemon to
// replace. Throws ControlError for anything else, with a message that names the path;
// for EACCES: "permission denied on <path>: only the daemon's user and group may use it".
// A daemon whose queue of connections waiting to be accepted is full is retried for up to
// 5 seconds before that throws too. Also throws for an empty path or one longer than sun_path
// holds. The Connection returned is a blocking socket.
std::optional<Connection> connect_to(const std::filesystem::path& path);

}  // namespace idsync::control
