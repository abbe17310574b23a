// Runs a piece of a test in a forked child under another user and groups, to see the control
// socket from the outside. Changing identity needs root; tests check can_change_identity().
#pragma once

#include <grp.h>
#include <sys/wait.h>
#include <unistd.h>

#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace idsync::testing {

// An unprivileged identity: no such user needs to exist.
inline constexpr uid_t kOutsiderUid = 65534;
inline constexpr gid_t kOutsiderGid = 65534;

struct Identity {
  uid_t uid = kOutsiderUid;
  gid_t gid = kOutsiderGid;
  std::vector<gid_t> groups;  // supplementary
};

inline bool can_change_identity() { return ::geteuid() == 0; }

// The child runs `body` as `who` and sends back what it returns (or the error that stopped it);
// result() waits for it. The child never returns into the test framework.
class ChildProcess {
 public:
  ChildProcess(const Identity& who, const std::function<std::string()>& body) {
    int ends[2];
    if (::pipe(ends) != 0) throw std::runtime_error("pipe failed");
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      ::close(ends[0]);
      std::string answer;
      if (::setgroups(who.groups.size(), who.groups.data()) != 0 || ::setgid(who.gid) != 0 ||
          ::setuid(who.uid) != 0) {
        answer = "cannot change identity";
      } else {
        try {
          answer = body();
        } catch (const std::exception& e) {
          answer = std::string("threw: ") + e.what();
        }
      }
      for (std::size_t sent = 0; sent < answer.size();) {
        const ssize_t n = ::write(ends[1], answer.data() + sent, answer.size() - sent);
        if (n <= 0) break;
        sent += static_cast<std::size_t>(n);
      }
      ::_exit(0);
    }
    ::close(ends[1]);
    from_child_ = ends[0];
  }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess() { result(); }

  std::string result() {
    if (pid_ > 0) {
      char chunk[256];
      for (ssize_t n; (n = ::read(from_child_, chunk, sizeof chunk)) > 0;) answer_.append(chunk, n);
      ::close(from_child_);
      int status = 0;
      ::waitpid(pid_, &status, 0);
      pid_ = -1;
    }
    return answer_;
  }

 private:
  pid_t pid_ = -1;
  int from_child_ = -1;
  std::string answer_;
};

}  // namespace idsync::testing
