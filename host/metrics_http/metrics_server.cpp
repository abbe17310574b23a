#include "metrics_http/metrics_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <climits>
#include <system_error>
#include <utility>
#include <vector>

#include "metrics_http/http_exchange.hpp"

namespace idsync::metrics {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// How long a client that has its response may keep sending (a request body) before the
// connection is closed: long enough that closing does not reset a connection whose client is
// still reading the response, short enough not to hold a connection slot.
constexpr milliseconds kLingerTime{1000};
// How much a client may send after its head before it is cut off anyway.
constexpr std::size_t kMaxDrainBytes = 1 << 20;
// How long to wait before trying again when the process is out of descriptors or memory.
constexpr milliseconds kRetryPause{100};

// Why any other address is refused, for the messages that refuse one.
constexpr std::string_view kLoopbackOnly =
    " (metrics tell what the daemon syncs, so they are served to this machine only)";
constexpr std::string_view kExpected = "expected 127.0.0.1:PORT, [::1]:PORT or localhost:PORT";

std::string describe_errno(int error) { return std::system_category().message(error); }

// Closes the descriptor it holds; keeps half-built objects and dropped clients from leaking one.
class UniqueFd {
 public:
  explicit UniqueFd(int fd = -1) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) {
      reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  ~UniqueFd() { reset(); }
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

// --- Addresses --------------------------------------------------------------------------------

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return (x >= 'A' && x <= 'Z' ? x - 'A' + 'a' : x) == (y >= 'A' && y <= 'Z' ? y - 'A' + 'a' : y);
  });
}

// A host as ListenAddress holds it, checked: the socket address to bind (port still 0), or
// what is wrong with it.
struct Host {
  sockaddr_storage address{};
  socklen_t size = 0;
  std::string text;     // the usual spelling, for messages and parse_listen_address()
  std::string problem;  // empty when the host is usable
};

Host check_host(std::string_view host) {
  Host result;
  const std::string name =
      equals_ignoring_case(host, "localhost") ? "127.0.0.1" : std::string(host);
  char spelling[INET6_ADDRSTRLEN] = {};
  if (in_addr ip4{}; ::inet_pton(AF_INET, name.c_str(), &ip4) == 1) {
    if ((ntohl(ip4.s_addr) >> 24) != 127) {
      result.problem = name + " is not a loopback address" + std::string(kLoopbackOnly);
      return result;
    }
    auto& address = reinterpret_cast<sockaddr_in&>(result.address);
    address.sin_family = AF_INET;
    address.sin_addr = ip4;
    result.size = sizeof(sockaddr_in);
    result.text = ::inet_ntop(AF_INET, &ip4, spelling, sizeof spelling);
  } else if (in6_addr ip6{}; ::inet_pton(AF_INET6, name.c_str(), &ip6) == 1) {
    if (!IN6_IS_ADDR_LOOPBACK(&ip6)) {
      result.problem = name + " is not a loopback address" + std::string(kLoopbackOnly);
      return result;
    }
    auto& address = reinterpret_cast<sockaddr_in6&>(result.address);
    address.sin6_family = AF_INET6;
    address.sin6_addr = ip6;
    result.size = sizeof(sockaddr_in6);
    result.text = ::inet_ntop(AF_INET6, &ip6, spelling, sizeof spelling);
  } else {
    result.problem = "\"" + name + "\" is neither an IP address nor localhost";
  }
  return result;
}

// --- Serving ----------------------------------------------------------------------------------

// The moment `timeout` from now, with absurdly long timeouts capped so that the sum cannot
// overflow.
Clock::time_point deadline_after(milliseconds timeout) {
  constexpr milliseconds kLongest = std::chrono::hours(24 * 365 * 10);
  return Clock::now() + std::min(timeout, kLongest);
}

// What is left until `deadline`, rounded up and clamped to what poll() takes.
int poll_timeout_until(Clock::time_point deadline) {
  const auto left = std::chrono::ceil<milliseconds>(deadline - Clock::now()).count();
  return static_cast<int>(std::clamp<decltype(left)>(left, 0, INT_MAX));
}

struct Client {
  enum class Phase {
    reading,   // the request head is arriving
    writing,   // the response is going out
    draining,  // the response is out and the writing side shut: waiting for the client to close
  };
  UniqueFd fd;
  Clock::time_point deadline;
  Phase phase = Phase::reading;
  // reading: the head so far; writing: the response.
  std::string data;
  // reading: how much of data was searched for the head's end; writing: how much was sent;
  // draining: how many bytes were dropped.
  std::size_t done = 0;
};

class Loop {
 public:
  Loop(int listen_fd, int wake_fd, std::function<std::string()> render, milliseconds timeout)
      : listen_fd_(listen_fd), wake_fd_(wake_fd), render_(std::move(render)), timeout_(timeout) {}

  // Serves until the wake eventfd becomes readable.
  void run() {
    for (;;) {
      try {
        if (!serve_once()) return;
      } catch (const std::exception&) {
        // Out of memory, as anything else here that throws would be: drop what holds memory and
        // go on serving once there may be some again.
        clients_.clear();
        pollfds_.clear();
        pollfds_.shrink_to_fit();
        pause();
      }
    }
  }

 private:
  // One poll() and what follows from it; false when the server is to stop.
  bool serve_once() {
    const auto now = Clock::now();
    std::erase_if(clients_, [now](const Client& client) { return client.deadline <= now; });

    const bool room = clients_.size() < kMaxConnections;
    const bool accepting = room && now >= accept_paused_until_;
    Clock::time_point wake_at = Clock::time_point::max();
    if (room && !accepting) wake_at = accept_paused_until_;
    pollfds_.clear();
    pollfds_.push_back({wake_fd_, POLLIN, 0});
    pollfds_.push_back({accepting ? listen_fd_ : -1, POLLIN, 0});  // poll() skips fd -1
    for (const Client& client : clients_) {
      const short events = client.phase == Client::Phase::writing ? POLLOUT : POLLIN;
      pollfds_.push_back({client.fd.get(), events, 0});
      wake_at = std::min(wake_at, client.deadline);
    }

    const int timeout = wake_at == Clock::time_point::max() ? -1 : poll_timeout_until(wake_at);
    if (::poll(pollfds_.data(), pollfds_.size(), timeout) < 0) {
      if (errno != EINTR) pause();  // ENOMEM: the kernel is short of memory
      return true;
    }
    if (pollfds_[0].revents != 0) return false;

    for (std::size_t i = 0; i < clients_.size(); ++i) {
      if (pollfds_[i + 2].revents == 0) continue;
      try {
        advance(clients_[i]);
      } catch (const std::exception&) {
        clients_[i].fd.reset();  // out of memory for this one; the others go on
      }
    }
    std::erase_if(clients_, [](const Client& client) { return client.fd.get() < 0; });
    if (pollfds_[1].revents != 0) accept_clients();
    return true;
  }

  // Waits a moment before trying again after a shortage; stopping is only delayed that long.
  void pause() { std::this_thread::sleep_for(kRetryPause); }

  void accept_clients() {
    while (clients_.size() < kMaxConnections) {
      UniqueFd fd(::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK));
      if (fd.get() >= 0) {
        Client client;
        client.fd = std::move(fd);
        client.deadline = deadline_after(timeout_);
        clients_.push_back(std::move(client));
        continue;
      }
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) return;
      // Out of descriptors or memory. The connection stays queued, so polling the listener at
      // once would spin: leave it alone for a moment while the other clients are served.
      accept_paused_until_ = Clock::now() + kRetryPause;
      return;
    }
  }

  // Reads, writes or drains as the client's phase says; closes its fd when it is done or failed.
  void advance(Client& client) {
    switch (client.phase) {
      case Client::Phase::reading:
        return read_head(client);
      case Client::Phase::writing:
        return write_response(client);
      case Client::Phase::draining:
        return drain(client);
    }
  }

  void read_head(Client& client) {
    // Never more than one byte past the limit, which is enough to tell that the head is too long.
    char chunk[http::kMaxHeadBytes + 1];
    const ssize_t got = ::recv(client.fd.get(), chunk, sizeof chunk - client.data.size(), 0);
    if (got < 0) {
      if (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK) client.fd.reset();
      return;
    }
    if (got == 0) {
      // A client that connected and left without a byte (a port check) gets no answer.
      if (client.data.empty())
        client.fd.reset();
      else
        start_response(client, http::refuse_incomplete_head());
      return;
    }
    client.data.append(chunk, static_cast<std::size_t>(got));
    const std::size_t end = http::head_end(client.data, client.done);
    client.done = client.data.size();
    if (end != std::string::npos && end <= http::kMaxHeadBytes)
      start_response(client, http::respond(std::string_view(client.data).substr(0, end), render_));
    else if (client.data.size() > http::kMaxHeadBytes)
      start_response(client, http::refuse_oversized_head());
  }

  void start_response(Client& client, std::string response) {
    client.data = std::move(response);
    client.done = 0;
    client.phase = Client::Phase::writing;
    client.deadline = deadline_after(timeout_);
    write_response(client);  // most responses fit the socket's buffer: no need to wait for poll()
  }

  void write_response(Client& client) {
    while (client.done < client.data.size()) {
      const ssize_t sent = ::send(client.fd.get(), client.data.data() + client.done,
                                  client.data.size() - client.done, MSG_NOSIGNAL);
      if (sent >= 0) {
        client.done += static_cast<std::size_t>(sent);
        continue;
      }
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) client.fd.reset();
      return;
    }
    // All sent. Closing now would make the kernel reset the connection if the client sent more
    // than its head (a body), and a reset can destroy the response before the client read it.
    // So the writing side is shut (the client sees the end of the response) and what the
    // client still sends is read and dropped until it closes.
    if (::shutdown(client.fd.get(), SHUT_WR) != 0) {
      client.fd.reset();
      return;
    }
    client.data = std::string();
    client.done = 0;
    client.phase = Client::Phase::draining;
    client.deadline = deadline_after(std::min(timeout_, kLingerTime));
  }

  void drain(Client& client) {
    char chunk[16 * 1024];
    const ssize_t got = ::recv(client.fd.get(), chunk, sizeof chunk, 0);
    if (got < 0) {
      if (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK) client.fd.reset();
      return;
    }
    client.done += static_cast<std::size_t>(got);
    if (got == 0 || client.done > kMaxDrainBytes) client.fd.reset();
  }

  int listen_fd_;
  int wake_fd_;
  std::function<std::string()> render_;
  milliseconds timeout_;
  std::vector<Client> clients_;
  // The poll() entries: the wake eventfd, the listener, then one per client in clients_' order.
  std::vector<pollfd> pollfds_;
  Clock::time_point accept_paused_until_{};
};

}  // namespace

ListenAddress parse_listen_address(std::string_view text) {
  const auto fail = [text](const std::string& why) {
    return MetricsError("invalid metrics listen address \"" + std::string(text) + "\": " + why +
                        "; " + std::string(kExpected));
  };
  if (text.empty()) throw fail("it is empty");

  std::string_view host;
  std::string_view port_text;
  bool bracketed = false;
  if (text.front() == '[') {
    const std::size_t close = text.find(']');
    if (close == std::string_view::npos) throw fail("the '[' is not closed");
    host = text.substr(1, close - 1);
    const std::string_view rest = text.substr(close + 1);
    if (rest.empty()) throw fail("the port is missing");
    if (rest.front() != ':') throw fail("a ':' and the port must follow the ']'");
    port_text = rest.substr(1);
    bracketed = true;
  } else {
    const std::size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) throw fail("the port is missing");
    host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
    if (host.find(':') != std::string_view::npos)
      throw fail("an IPv6 address goes in brackets, as in [::1]:9464");
  }

  if (host.empty()) throw fail("the host is missing");
  const Host checked = check_host(host);
  if (!checked.problem.empty()) throw fail(checked.problem);
  if (bracketed && checked.address.ss_family != AF_INET6)
    throw fail("brackets are for IPv6 addresses; write an IPv4 address without them");

  unsigned port = 0;
  const char* const first = port_text.data();
  const char* const last = first + port_text.size();
  const auto [end, error] = std::from_chars(first, last, port);
  if (port_text.empty()) throw fail("the port is missing");
  if (error != std::errc() || end != last || port > 65535)
    throw fail("the port must be a number from 1 to 65535 (or 0 for any free port), not \"" +
               std::string(port_text) + "\"");
  return ListenAddress{checked.text, static_cast<uint16_t>(port)};
}

std::string to_string(const ListenAddress& address) {
  const std::string port = std::to_string(address.port);
  if (address.host.find(':') != std::string::npos) return "[" + address.host + "]:" + port;
  return address.host + ":" + port;
}

MetricsServer::MetricsServer(const ListenAddress& address, std::function<std::string()> render,
                             milliseconds client_timeout) {
  if (!render) throw std::invalid_argument("the metrics server needs a render function");
  if (client_timeout <= milliseconds(0))
    throw std::invalid_argument("the metrics server's client timeout must be positive");
  const std::string where = to_string(address);
  Host host = check_host(address.host);
  if (!host.problem.empty())
    throw MetricsError("cannot serve metrics on " + where + ": " + host.problem + "; " +
                       std::string(kExpected));
  if (host.address.ss_family == AF_INET)
    reinterpret_cast<sockaddr_in&>(host.address).sin_port = htons(address.port);
  else
    reinterpret_cast<sockaddr_in6&>(host.address).sin6_port = htons(address.port);
  const auto fail = [&where](const std::string& what) {
    return MetricsError("cannot serve metrics on " + where + ": " + what);
  };

  UniqueFd wake(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (wake.get() < 0) throw fail("cannot create an eventfd: " + describe_errno(errno));
  // Non-blocking, so that accept4() after poll() cannot wait for a connection that vanished.
  UniqueFd listener(
      ::socket(host.address.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (listener.get() < 0) throw fail("cannot create a socket: " + describe_errno(errno));
  const int on = 1;
  if (::setsockopt(listener.get(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) != 0)
    throw fail("cannot set SO_REUSEADDR: " + describe_errno(errno));
  if (::bind(listener.get(), reinterpret_cast<const sockaddr*>(&host.address), host.size) != 0) {
    if (errno == EADDRINUSE) throw fail("the port is in use (is another idsyncd running?)");
    throw fail(describe_errno(errno));
  }
  if (::listen(listener.get(), SOMAXCONN) != 0) throw fail("listen: " + describe_errno(errno));
  sockaddr_storage bound{};
  socklen_t bound_size = sizeof bound;
  if (::getsockname(listener.get(), reinterpret_cast<sockaddr*>(&bound), &bound_size) != 0)
    throw fail("cannot read the port bound: " + describe_errno(errno));
  port_ =
      ntohs(bound.ss_family == AF_INET ? reinterpret_cast<const sockaddr_in&>(bound).sin_port
                                       : reinterpret_cast<const sockaddr_in6&>(bound).sin6_port);

  thread_ = std::thread([listen_fd = listener.get(), wake_fd = wake.get(),
                         render = std::move(render), client_timeout]() mutable {
    Loop(listen_fd, wake_fd, std::move(render), client_timeout).run();
  });
  listen_fd_ = listener.release();
  wake_fd_ = wake.release();
}

MetricsServer::~MetricsServer() {
  const std::uint64_t one = 1;
  // Fails only when the counter is full, and then a wake-up is pending anyway.
  [[maybe_unused]] const ssize_t wrote = ::write(wake_fd_, &one, sizeof one);
  thread_.join();
  ::close(listen_fd_);
  ::close(wake_fd_);
}

}  // namespace idsync::metrics
