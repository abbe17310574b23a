// A plain TCP client for the metrics server's tests: it sends exactly the bytes a test gives
// (well-formed or not) and reads the response until the server closes, every wait bounded.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

namespace idsync::testing {

using namespace std::chrono_literals;

// How long any single wait of a test's client may take before the test fails.
inline constexpr std::chrono::milliseconds kClientWait = 2s;

// One connection to 127.0.0.1:port, or [::1]:port for AF_INET6. Closes on destruction.
class RawClient {
 public:
  explicit RawClient(uint16_t port, int family = AF_INET) {
    // Close-on-exec like the server's descriptors, so that a check of those is not confused.
    fd_ = ::socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) throw std::system_error(errno, std::system_category(), "socket");
    sockaddr_in ip4{};
    ip4.sin_family = AF_INET;
    ip4.sin_port = htons(port);
    ip4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sockaddr_in6 ip6{};
    ip6.sin6_family = AF_INET6;
    ip6.sin6_port = htons(port);
    ip6.sin6_addr = in6addr_loopback;
    const int connected = family == AF_INET6
                              ? ::connect(fd_, reinterpret_cast<const sockaddr*>(&ip6), sizeof ip6)
                              : ::connect(fd_, reinterpret_cast<const sockaddr*>(&ip4), sizeof ip4);
    if (connected != 0) {
      const int error = errno;
      ::close(fd_);
      throw std::system_error(error, std::system_category(), "connect");
    }
  }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;
  ~RawClient() { ::close(fd_); }

  int fd() const { return fd_; }

  void send(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t sent = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (sent < 0) {
        if (errno == EINTR) continue;
        throw std::system_error(errno, std::system_category(), "send");
      }
      bytes.remove_prefix(static_cast<std::size_t>(sent));
    }
  }

  // Everything the server sends until it closes. Throws std::runtime_error when that takes
  // longer than `wait` in all.
  std::string read_all(std::chrono::milliseconds wait = kClientWait) {
    const auto deadline = std::chrono::steady_clock::now() + wait;
    std::string received;
    for (;;) {
      const auto left =
          std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      pollfd entry{fd_, POLLIN, 0};
      const int ready = ::poll(&entry, 1, static_cast<int>(std::max<long>(left.count(), 0)));
      if (ready < 0 && errno == EINTR) continue;
      if (ready <= 0)
        throw std::runtime_error("the server did not close the connection within " +
                                 std::to_string(wait.count()) +
                                 " ms; received so far: " + received);
      char chunk[16 * 1024];
      const ssize_t got = ::recv(fd_, chunk, sizeof chunk, 0);
      if (got < 0) {
        if (errno == EINTR) continue;
        throw std::system_error(errno, std::system_category(), "recv");
      }
      if (got == 0) return received;
      received.append(chunk, static_cast<std::size_t>(got));
    }
  }

 private:
  int fd_ = -1;
};

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> fields;  // names in lower case
  std::string body;                           // everything after the head

  std::string field(const std::string& name) const {
    const auto found = fields.find(name);
    return found == fields.end() ? std::string() : found->second;
  }
};

// Splits a response the way a strict client would: throws std::runtime_error for anything that
// is not a status line, CRLF-terminated header fields and an empty line.
inline HttpResponse parse_response(const std::string& raw) {
  const std::size_t head_end = raw.find("\r\n\r\n");
  if (head_end == std::string::npos) throw std::runtime_error("no complete head in: " + raw);
  HttpResponse response;
  response.body = raw.substr(head_end + 4);
  const std::string head = raw.substr(0, head_end + 2);
  std::size_t line_end = head.find("\r\n");
  const std::string status_line = head.substr(0, line_end);
  if (status_line.rfind("HTTP/1.1 ", 0) != 0 || status_line.size() < 12)
    throw std::runtime_error("not an HTTP/1.1 status line: " + status_line);
  response.status = std::stoi(status_line.substr(9, 3));
  for (std::size_t start = line_end + 2; start < head.size(); start = line_end + 2) {
    line_end = head.find("\r\n", start);
    const std::string line = head.substr(start, line_end - start);
    const std::size_t colon = line.find(": ");
    if (colon == std::string::npos) throw std::runtime_error("not a header field: " + line);
    std::string name = line.substr(0, colon);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!response.fields.emplace(name, line.substr(colon + 2)).second)
      throw std::runtime_error("the header field " + name + " is given twice");
  }
  return response;
}

// Sends `request` as it is on a new connection and reads the response.
inline HttpResponse send_request(uint16_t port, std::string_view request) {
  RawClient client(port);
  client.send(request);
  return parse_response(client.read_all());
}

inline HttpResponse get(uint16_t port, std::string_view path) {
  return send_request(port, "GET " + std::string(path) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
}

}  // namespace idsync::testing
