// The metrics server over real sockets on 127.0.0.1: what each kind of request gets, render()
// called per request and allowed to fail, clients that stall, the port, and stopping.
#include "metrics_http/metrics_server.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <future>
#include <memory>
#include <optional>
#include <set>
#include <thread>

#include "http_client.hpp"
#include "metrics_http/http_exchange.hpp"

using Catch::Matchers::Contains;
using idsync::metrics::ListenAddress;
using idsync::metrics::MetricsError;
using idsync::metrics::MetricsServer;
using idsync::testing::get;
using idsync::testing::HttpResponse;
using idsync::testing::RawClient;
using idsync::testing::send_request;
using namespace std::chrono_literals;

namespace {

using Clock = std::chrono::steady_clock;

const ListenAddress kAnyPort{"127.0.0.1", 0};
const std::string kPage =
    "# HELP idsync_up Whether the daemon runs.\n# TYPE idsync_up gauge\nidsync_up 1\n";

std::string page() { return kPage; }

// Destroys `server` on another thread, waiting at most `limit`, so that a destructor that hangs
// fails the test instead of hanging it. How long the destructor took, or std::nullopt when it
// had not returned by then (the server is then left to its thread).
std::optional<Clock::duration> destroy_within(std::unique_ptr<MetricsServer> server,
                                              std::chrono::milliseconds limit) {
  std::promise<void> done;
  std::future<void> returned = done.get_future();
  const auto start = Clock::now();
  std::thread destroyer([server = std::move(server), done = std::move(done)]() mutable {
    server.reset();
    done.set_value();
  });
  if (returned.wait_for(limit) != std::future_status::ready) {
    destroyer.detach();
    return std::nullopt;
  }
  const auto took = Clock::now() - start;
  destroyer.join();
  return took;
}

std::set<int> open_descriptors() {
  std::set<int> fds;
  DIR* dir = ::opendir("/proc/self/fd");
  REQUIRE(dir != nullptr);
  const int own = ::dirfd(dir);
  while (const dirent* entry = ::readdir(dir))
    if (entry->d_name[0] != '.' && std::stoi(entry->d_name) != own)
      fds.insert(std::stoi(entry->d_name));
  ::closedir(dir);
  return fds;
}

}  // namespace

TEST_CASE("GET /metrics is 200 with the rendered page, its type and its length") {
  MetricsServer server(kAnyPort, page);
  REQUIRE(server.port() != 0);
  const HttpResponse response = get(server.port(), "/metrics");
  CHECK(response.status == 200);
  CHECK(response.field("content-type") == "text/plain; version=0.0.4; charset=utf-8");
  CHECK(response.field("content-length") == std::to_string(kPage.size()));
  CHECK(response.field("connection") == "close");
  CHECK(response.body == kPage);
}

TEST_CASE("a query string is ignored and HTTP/1.0 is answered") {
  MetricsServer server(kAnyPort, page);
  CHECK(get(server.port(), "/metrics?collect%5B%5D=sync").body == kPage);
  CHECK(send_request(server.port(), "GET /metrics HTTP/1.0\r\n\r\n").body == kPage);
  CHECK(send_request(server.port(), "GET /metrics HTTP/1.1\nHost: x\n\n").body == kPage);
}

TEST_CASE("render() is called for each request, and only for GET /metrics") {
  std::atomic<int> calls = 0;
  MetricsServer server(kAnyPort, [&calls] { return "calls " + std::to_string(++calls) + "\n"; });
  CHECK(get(server.port(), "/metrics").body == "calls 1\n");
  CHECK(get(server.port(), "/metrics").body == "calls 2\n");
  CHECK(get(server.port(), "/other").status == 404);
  CHECK(send_request(server.port(), "POST /metrics HTTP/1.1\r\n\r\n").status == 405);
  CHECK(send_request(server.port(), "nonsense\r\n\r\n").status == 400);
  CHECK(calls == 2);
}

TEST_CASE("other paths are 404, whatever the method") {
  MetricsServer server(kAnyPort, page);
  const std::string path = GENERATE("/other", "/", "/metrics/", "/metricsx", "/Metrics");
  CAPTURE(path);
  const HttpResponse response = get(server.port(), path);
  CHECK(response.status == 404);
  CHECK(response.field("content-length") == std::to_string(response.body.size()));
  CHECK(send_request(server.port(), "POST " + path + " HTTP/1.1\r\n\r\n").status == 404);
}

TEST_CASE("other methods on /metrics are 405 with Allow: GET") {
  MetricsServer server(kAnyPort, page);
  const std::string method = GENERATE("POST", "PUT", "DELETE", "get");
  CAPTURE(method);
  const HttpResponse response =
      send_request(server.port(), method + " /metrics HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello");
  CHECK(response.status == 405);
  CHECK(response.field("allow") == "GET");
  CHECK(response.field("content-length") == std::to_string(response.body.size()));
}

TEST_CASE("a malformed request line is 400") {
  MetricsServer server(kAnyPort, page);
  const std::string request =
      GENERATE(as<std::string>{}, "garbage\r\n\r\n", "GET /metrics\r\n\r\n",
               "GET  /metrics HTTP/1.1\r\n\r\n", "GET metrics HTTP/1.1\r\n\r\n",
               "GET /metrics HTTP/1.1 x\r\n\r\n", "GET /metrics FTP/1.1\r\n\r\n",
               "GET /metrics HTTP/1\r\n\r\n", "GET /met\x01rics HTTP/1.1\r\n\r\n", "\r\n\r\n",
               std::string("\0\1\2\r\n\r\n", 7));
  CAPTURE(request);
  const HttpResponse response = send_request(server.port(), request);
  CHECK(response.status == 400);
  CHECK(response.field("content-length") == std::to_string(response.body.size()));
}

TEST_CASE("a client that stops in the middle of its head gets 400") {
  MetricsServer server(kAnyPort, page);
  RawClient client(server.port());
  client.send("GET /metrics HTTP/1.1\r\nHost: x\r\n");
  REQUIRE(::shutdown(client.fd(), SHUT_WR) == 0);
  CHECK(idsync::testing::parse_response(client.read_all()).status == 400);
}

TEST_CASE("a head of up to 8 KiB is served, a longer one is refused with 431") {
  using idsync::metrics::http::kMaxHeadBytes;
  MetricsServer server(kAnyPort, page);
  // A head of exactly `size` bytes: request line, one header field padded to fit, empty line.
  const auto head_of = [](std::size_t size) {
    const std::string start = "GET /metrics HTTP/1.1\r\nX-Padding: ";
    return start + std::string(size - start.size() - 4, 'a') + "\r\n\r\n";
  };
  REQUIRE(head_of(kMaxHeadBytes).size() == kMaxHeadBytes);
  CHECK(send_request(server.port(), head_of(kMaxHeadBytes)).status == 200);
  CHECK(send_request(server.port(), head_of(kMaxHeadBytes + 1)).status == 431);
  // A head that never ends is cut off at the limit too, not read for ever.
  CHECK(
      send_request(server.port(), "GET /metrics HTTP/1.1\r\n" + std::string(100'000, 'a')).status ==
      431);
}

TEST_CASE("a request body, even a large one, does not cost the client its response") {
  MetricsServer server(kAnyPort, page);
  const std::string body(300'000, 'x');
  RawClient client(server.port());
  client.send("POST /metrics HTTP/1.1\r\nContent-Length: " + std::to_string(body.size()) +
              "\r\n\r\n");
  // The body goes out while the response is already on its way back.
  client.send(body);
  const HttpResponse response = idsync::testing::parse_response(client.read_all());
  CHECK(response.status == 405);
  CHECK(response.field("content-length") == std::to_string(response.body.size()));
}

TEST_CASE("a head that arrives in pieces is served") {
  MetricsServer server(kAnyPort, page);
  RawClient client(server.port());
  const std::string request = "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  for (const char c : request) {
    client.send(std::string(1, c));
    std::this_thread::sleep_for(1ms);
  }
  CHECK(idsync::testing::parse_response(client.read_all()).body == kPage);
}

TEST_CASE("an exception from render() is 500, and the next request is served") {
  std::atomic<int> calls = 0;
  MetricsServer server(kAnyPort, [&calls]() -> std::string {
    if (++calls == 1) throw std::runtime_error("the store is closed");
    return kPage;
  });
  const HttpResponse failed = get(server.port(), "/metrics");
  CHECK(failed.status == 500);
  CHECK_THAT(failed.body, Contains("the store is closed"));
  CHECK(failed.field("content-length") == std::to_string(failed.body.size()));
  const HttpResponse next = get(server.port(), "/metrics");
  CHECK(next.status == 200);
  CHECK(next.body == kPage);
}

TEST_CASE("a large page is sent whole") {
  std::string large;
  for (int i = 0; i < 100'000; ++i) large += "idsync_sample{n=\"" + std::to_string(i) + "\"} 1\n";
  MetricsServer server(kAnyPort, [&large] { return large; });
  const HttpResponse response = get(server.port(), "/metrics");
  CHECK(response.field("content-length") == std::to_string(large.size()));
  CHECK(response.body == large);
}

TEST_CASE("a client that sends nothing does not hold up others, and is dropped after the timeout") {
  MetricsServer server(kAnyPort, page, 300ms);
  RawClient idle(server.port());
  const auto connected = Clock::now();
  // Served while the idle client is still connected.
  CHECK(get(server.port(), "/metrics").body == kPage);
  CHECK(Clock::now() - connected < 250ms);
  // Dropped without a response: the connection just ends.
  CHECK(idle.read_all(2s).empty());
  const auto waited = Clock::now() - connected;
  CHECK(waited >= 250ms);
  CHECK(waited < 1500ms);
}

TEST_CASE("a client that sends part of its head is dropped after the timeout") {
  MetricsServer server(kAnyPort, page, 300ms);
  RawClient slow(server.port());
  const auto connected = Clock::now();
  slow.send("GET /metrics HTTP/1.1\r\n");
  std::this_thread::sleep_for(200ms);
  slow.send("Host: 127.0.0.1\r\n");  // progress does not extend the time allowed
  CHECK(slow.read_all(2s).empty());
  CHECK(Clock::now() - connected < 1500ms);
}

TEST_CASE("the destructor returns promptly with idle clients connected") {
  auto server = std::make_unique<MetricsServer>(kAnyPort, page);
  RawClient idle(server->port());
  RawClient half(server->port());
  half.send("GET /metrics HTTP/1.1\r\n");
  // Once this is served, the two connections made before it have been accepted.
  CHECK(get(server->port(), "/metrics").status == 200);
  const auto took = destroy_within(std::move(server), 2s);
  REQUIRE(took.has_value());
  CHECK(*took < 300ms);
  // Their connections were closed, not left open.
  CHECK(idle.read_all(500ms).empty());
  CHECK(half.read_all(500ms).empty());
}

TEST_CASE("a second server on the same port throws MetricsError naming the address") {
  MetricsServer first(kAnyPort, page);
  const ListenAddress same{"127.0.0.1", first.port()};
  const std::string where = "127.0.0.1:" + std::to_string(first.port());
  CHECK_THROWS_MATCHES(MetricsServer(same, page), MetricsError,
                       Catch::Matchers::Predicate<MetricsError>(
                           [&where](const MetricsError& error) {
                             const std::string message = error.what();
                             return message.find(where) != std::string::npos &&
                                    message.find("in use") != std::string::npos;
                           },
                           "names " + where + " and says the port is in use"));
  // The first one is unharmed.
  CHECK(get(first.port(), "/metrics").body == kPage);
}

TEST_CASE("a port freed by a stopped server can be bound again at once") {
  uint16_t port = 0;
  {
    MetricsServer first(kAnyPort, page);
    port = first.port();
    // Leaves a connection that the server closed first, which lingers in TIME_WAIT.
    CHECK(get(port, "/metrics").status == 200);
  }
  MetricsServer again(ListenAddress{"127.0.0.1", port}, page);
  CHECK(again.port() == port);
  CHECK(get(port, "/metrics").body == kPage);
}

TEST_CASE("the constructor refuses what it cannot serve on") {
  CHECK_THROWS_WITH(MetricsServer(ListenAddress{"0.0.0.0", 0}, page),
                    Contains("0.0.0.0:0") && Contains("not a loopback address"));
  CHECK_THROWS_WITH(MetricsServer(ListenAddress{"10.1.2.3", 9464}, page),
                    Contains("10.1.2.3:9464") && Contains("not a loopback address"));
  CHECK_THROWS_AS(MetricsServer(kAnyPort, nullptr), std::invalid_argument);
  CHECK_THROWS_AS(MetricsServer(kAnyPort, page, 0ms), std::invalid_argument);
}

TEST_CASE("localhost and ::1 are served too") {
  MetricsServer by_name(ListenAddress{"localhost", 0}, page);
  CHECK(get(by_name.port(), "/metrics").body == kPage);

  // IPv6 may be switched off where the tests run; that is not this server's failure.
  const int probe = ::socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in6 loopback{};
  loopback.sin6_family = AF_INET6;
  loopback.sin6_addr = in6addr_loopback;
  const bool has_ipv6 = probe >= 0 && ::bind(probe, reinterpret_cast<const sockaddr*>(&loopback),
                                             sizeof loopback) == 0;
  if (probe >= 0) ::close(probe);
  if (!has_ipv6) {
    WARN("no IPv6 loopback here: [::1] not tried");
    return;
  }
  MetricsServer server(ListenAddress{"::1", 0}, page);
  RawClient client(server.port(), AF_INET6);
  client.send("GET /metrics HTTP/1.1\r\n\r\n");
  CHECK(idsync::testing::parse_response(client.read_all()).body == kPage);
}

TEST_CASE("the server's descriptors are close-on-exec") {
  const std::set<int> before = open_descriptors();
  MetricsServer server(kAnyPort, page);
  RawClient idle(server.port());  // so that an accepted connection is among them
  REQUIRE(get(server.port(), "/metrics").status == 200);
  int checked = 0;
  for (const int fd : open_descriptors()) {
    if (before.count(fd) != 0 || fd == idle.fd()) continue;
    CAPTURE(fd);
    const int flags = ::fcntl(fd, F_GETFD);
    if (flags < 0) continue;  // closed meanwhile
    CHECK((flags & FD_CLOEXEC) != 0);
    ++checked;
  }
  CHECK(checked >= 3);  // the eventfd, the listener, the idle client's connection
}
