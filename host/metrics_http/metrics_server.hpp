// The daemon's Prometheus endpoint: a small HTTP/1.1 server on a loopback address that answers
// GET /metrics with the page a render function builds at the time of each request.
//
// Contract:
//   - Loopback only (127.0.0.0/8, ::1, localhost): the metrics say what the daemon syncs and
//     where, which is not for the network. A scraper elsewhere goes through something the
//     administrator sets up on purpose (an SSH tunnel, a Prometheus agent on this machine).
//   - What is answered to what is in http_exchange.hpp: 200 for GET /metrics, 404 for other
//     paths, 405 with "Allow: GET" for other methods, 400 for a malformed request, 431 for a
//     head over 8 KiB, 500 when render() throws (and the next request is served as usual).
//     One request per connection ("Connection: close"); request bodies are read and dropped.
//   - Everything runs on one thread of the server's own, which handles many connections at
//     once, so a client that sends nothing does not hold up a scraper. A client has
//     client_timeout (5 s unless told otherwise) from connecting to send its request head, and
//     as long again to take the response; after that it is dropped. At most kMaxConnections
//     are open at a time; more wait in the kernel's queue until one closes.
//   - render() is called on that thread, once per GET /metrics, one call at a time and never
//     after the destructor has returned. It must be safe to call alongside whatever the
//     daemon's other threads do, and should be quick: the server answers no one else meanwhile.
//   - Nothing a client does stops the server: a connection that fails is closed and the
//     others go on. Writes never raise SIGPIPE.
//   - Every file descriptor made here is close-on-exec, so that plugins or commands the daemon
//     starts do not inherit the listener or a client's connection.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>

#include "metrics_http/prometheus_text.hpp"

namespace idsync::metrics {

// Thrown when the listener cannot be set up: an address that is malformed or not loopback, a
// port in use. The message names the address.
struct MetricsError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// How long a client may take to send its request head, and then to take the response.
inline constexpr std::chrono::milliseconds kClientTimeout{5000};
// How many connections are open at once at most.
inline constexpr std::size_t kMaxConnections = 64;

// Where to listen. `host` is an IP address without brackets ("127.0.0.1", "::1") or
// "localhost"; `port` 0 means any free port.
struct ListenAddress {
  std::string host;
  uint16_t port = 0;
};

// Parses "127.0.0.1:9464", "[::1]:9464" or "localhost:9464" (which becomes 127.0.0.1: the name
// is not looked up, so a hosts file cannot point it elsewhere). Any address in 127.0.0.0/8 is
// accepted; IPv6 addresses go in brackets. The port is 1 to 65535, or 0 for any free port.
// The host in the result is the address in its usual spelling ("::1" for "[0:0::1]").
// Throws MetricsError with a message that quotes `text`, says what is wrong with it and what is
// expected instead.
ListenAddress parse_listen_address(std::string_view text);

// "127.0.0.1:9464", "[::1]:9464": the address as parse_listen_address() reads it.
std::string to_string(const ListenAddress& address);

// Serving starts in the constructor and stops in the destructor. Not copyable or movable: the
// thread refers to the object.
class MetricsServer {
 public:
  // Binds and listens on `address`, then starts the thread. Throws MetricsError, naming the
  // address, when its host is not one parse_listen_address() accepts, when the port is in use,
  // or when the socket cannot be set up; std::invalid_argument for an empty `render` or a
  // client_timeout of zero or less. A restarted daemon gets its port back at once, even while
  // connections of the previous one linger in the kernel (SO_REUSEADDR, which on Linux still
  // refuses a port that another socket listens on).
  MetricsServer(const ListenAddress& address, std::function<std::string()> render,
                std::chrono::milliseconds client_timeout = kClientTimeout);
  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;
  // Stops the thread and closes the listener and every connection, promptly: the thread waits
  // on an eventfd alongside the sockets, so idle or slow clients do not delay this. Only a
  // render() in progress is waited for.
  ~MetricsServer();

  // The port bound: the one asked for, or the one the kernel chose for port 0.
  uint16_t port() const { return port_; }

 private:
  int listen_fd_ = -1;
  int wake_fd_ = -1;
  uint16_t port_ = 0;
  std::thread thread_;
};

}  // namespace idsync::metrics
