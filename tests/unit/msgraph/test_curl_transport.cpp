#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <idsync/sdk.hpp>
#include <string>
#include <thread>

#include "http/curl_transport.hpp"

using namespace idsync::http;

namespace {

// A TCP socket bound to a free loopback port. Without listen() every connection to it is
// refused at once.
class LoopbackSocket {
 public:
  LoopbackSocket() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd_ >= 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    socklen_t len = sizeof addr;
    REQUIRE(::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
    port_ = ntohs(addr.sin_port);
  }
  ~LoopbackSocket() { ::close(fd_); }
  int fd() const { return fd_; }
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

HttpSettings loopback_settings() {
  HttpSettings s;
  s.no_proxy = "*";  // whatever the environment says, talk to loopback directly
  s.user_agent = "idsync-msgraph/0.1";
  s.connect_timeout_ms = 5000;
  s.timeout_ms = 10000;
  return s;
}

}  // namespace

TEST_CASE("curl transport: a closed port is a retryable connection error naming the host",
          "[curl]") {
  LoopbackSocket closed;
  CurlTransport transport(loopback_settings());
  HttpRequest request;
  request.method = "GET";
  request.url = "http://127.0.0.1:" + std::to_string(closed.port()) + "/v1.0/users?$top=1";
  request.headers = {{"Authorization", "Bearer secret-token-value"}};
  try {
    transport.send(request);
    FAIL("no error");
  } catch (const idsync::sdk::Error& e) {
    CHECK(e.kind() == IDSYNC_ERR_CONNECTION);
    CHECK(e.status() == IDSYNC_RETRY);
    CHECK_THAT(e.what(), Catch::Contains("127.0.0.1"));
    CHECK_THAT(e.what(), !Catch::Contains("secret-token-value"));
  }
}

TEST_CASE("curl transport: one exchange with a loopback server", "[curl]") {
  LoopbackSocket server;
  REQUIRE(::listen(server.fd(), 1) == 0);
  std::string received;
  std::thread peer([&] {
    const int conn = ::accept(server.fd(), nullptr, nullptr);
    if (conn < 0) return;
    char buf[4096];
    // Read the head, then as much body as Content-Length says.
    std::size_t need = std::string::npos;
    while (need == std::string::npos || received.size() < need) {
      const ssize_t n = ::read(conn, buf, sizeof buf);
      if (n <= 0) break;
      received.append(buf, static_cast<std::size_t>(n));
      const auto head_end = received.find("\r\n\r\n");
      if (head_end != std::string::npos && need == std::string::npos) {
        const auto cl = received.find("Content-Length: ");
        const std::size_t length =
            cl == std::string::npos ? 0 : std::stoul(received.substr(cl + 16));
        need = head_end + 4 + length;
      }
    }
    const std::string answer =
        "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nRetry-After:  5 \r\n"
        "request-id: abc\r\nContent-Length: 11\r\nConnection: close\r\n\r\n{\"id\":\"u\"}\n";
    (void)!::write(conn, answer.data(), answer.size());
    ::close(conn);
  });

  CurlTransport transport(loopback_settings());
  HttpRequest request;
  request.method = "PATCH";
  request.url = "http://127.0.0.1:" + std::to_string(server.port()) + "/v1.0/users/u";
  request.headers = {{"Content-Type", "application/json"}, {"client-request-id", "rid-1"}};
  request.body = R"({"displayName":"Ada"})";
  HttpResponse r;
  try {
    r = transport.send(request);
  } catch (...) {
    peer.join();
    throw;
  }
  peer.join();

  CHECK(received.rfind("PATCH /v1.0/users/u HTTP/1.1\r\n", 0) == 0);
  CHECK_THAT(received, Catch::Contains("client-request-id: rid-1\r\n"));
  CHECK_THAT(received, Catch::Contains("User-Agent: idsync-msgraph/"));
  CHECK_THAT(received, Catch::Contains("Accept-Encoding: "));
  CHECK_THAT(received, !Catch::Contains("Expect:"));
  CHECK(received.substr(received.size() - request.body.size()) == request.body);
  CHECK(r.status == 201);
  CHECK(r.body == "{\"id\":\"u\"}\n");
  CHECK(r.header("retry-after") == std::optional<std::string>("5"));
  CHECK(r.header("Request-Id") == std::optional<std::string>("abc"));
  CHECK_FALSE(r.header("X-Missing"));
}
