// The request/response logic without sockets: where a head ends, and the answers whose details
// are easier to see on the exact bytes (HEAD, versions, the 500 body).
#include "metrics_http/http_exchange.hpp"

#include <catch2/catch.hpp>
#include <stdexcept>

using Catch::Matchers::Contains;
using Catch::Matchers::EndsWith;
using Catch::Matchers::StartsWith;
using idsync::metrics::http::head_end;
using idsync::metrics::http::respond;

namespace {

constexpr auto npos = std::string::npos;

std::string page() { return "idsync_up 1\n"; }

std::string status_line(const std::string& response) {
  return response.substr(0, response.find("\r\n"));
}

std::string body(const std::string& response) {
  return response.substr(response.find("\r\n\r\n") + 4);
}

}  // namespace

TEST_CASE("head_end() finds the empty line that ends a head") {
  CHECK(head_end("GET / HTTP/1.1\r\n\r\n") == 18);
  CHECK(head_end("GET / HTTP/1.1\r\nHost: x\r\n\r\nbody") == 27);
  CHECK(head_end("GET / HTTP/1.1\n\n") == 16);
  CHECK(head_end("GET / HTTP/1.1\r\nHost: x\n\r\n") == 26);
  CHECK(head_end("\r\n") == 2);
  CHECK(head_end("\n") == 1);
  CHECK(head_end("GET / HTTP/1.1\r\n") == npos);
  CHECK(head_end("GET / HTTP/1.1\r\n\r") == npos);
  CHECK(head_end("GET / HTTP/1.1\r\nHost: x\r\n") == npos);
  CHECK(head_end("GET / HTTP/1.1\r\r\n") == npos);
  CHECK(head_end("") == npos);
}

TEST_CASE("head_end() searching on from where it stopped finds the same end") {
  const std::string head = GENERATE(as<std::string>{}, "GET / HTTP/1.1\r\nHost: x\r\n\r\nrest",
                                    "GET / HTTP/1.1\nHost: x\n\nrest");
  CAPTURE(head);
  const std::size_t whole = head_end(head);
  REQUIRE(whole != npos);
  // As if the head arrived one byte at a time.
  std::size_t found = npos;
  std::size_t searched = 0;
  for (std::size_t size = 1; size <= head.size() && found == npos; ++size) {
    found = head_end(std::string_view(head).substr(0, size), searched);
    searched = size;
  }
  CHECK(found == whole);
}

TEST_CASE("HEAD gets the header fields without a body") {
  const std::string not_allowed = respond("HEAD /metrics HTTP/1.1\r\n\r\n", page);
  CHECK(status_line(not_allowed) == "HTTP/1.1 405 Method Not Allowed");
  CHECK_THAT(not_allowed, Contains("\r\nAllow: GET\r\n"));
  CHECK_THAT(not_allowed, EndsWith("\r\n\r\n"));
  CHECK_THAT(not_allowed, !Contains("Content-Length: 0\r\n"));

  const std::string not_found = respond("HEAD /x HTTP/1.1\r\n\r\n", page);
  CHECK(status_line(not_found) == "HTTP/1.1 404 Not Found");
  CHECK_THAT(not_found, EndsWith("\r\n\r\n"));
}

TEST_CASE("a version other than HTTP/1.x is 505") {
  CHECK(status_line(respond("GET /metrics HTTP/2.0\r\n\r\n", page)) ==
        "HTTP/1.1 505 HTTP Version Not Supported");
  CHECK(status_line(respond("GET /metrics HTTP/1.0\r\n\r\n", page)) == "HTTP/1.1 200 OK");
  CHECK(status_line(respond("GET /metrics HTTP/1.9\r\n\r\n", page)) == "HTTP/1.1 200 OK");
}

TEST_CASE("a 200 has exactly the header fields a scraper needs") {
  CHECK(respond("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", page) ==
        "HTTP/1.1 200 OK\r\n"
        "Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
        "Content-Length: 12\r\n"
        "Connection: close\r\n"
        "\r\n"
        "idsync_up 1\n");
}

TEST_CASE("a 500 names what render() threw, on one line and cut short") {
  const std::string message = "line one\nline two " + std::string(1000, 'x');
  const std::string response =
      respond("GET /metrics HTTP/1.1\r\n\r\n",
              [&message]() -> std::string { throw std::runtime_error(message); });
  CHECK(status_line(response) == "HTTP/1.1 500 Internal Server Error");
  CHECK_THAT(response, Contains("Content-Type: text/plain; charset=utf-8\r\n"));
  const std::string text = body(response);
  CHECK_THAT(text, StartsWith("the metrics could not be rendered: line one line two xxx"));
  CHECK(text.size() < 300);
  CHECK(text.find('\n') == text.size() - 1);
}

TEST_CASE("a 500 body cut short does not end in the middle of a UTF-8 character") {
  // 199 bytes, then two-byte characters: the one starting at byte 199 does not fit.
  const std::string message = std::string(199, 'x') + "\u00e9\u00e9\u00e9";
  const std::string response =
      respond("GET /metrics HTTP/1.1\r\n\r\n",
              [&message]() -> std::string { throw std::runtime_error(message); });
  CHECK(body(response) == "the metrics could not be rendered: " + std::string(199, 'x') + "\n");
}

TEST_CASE("a 500 also for what render() throws that is not a std::exception") {
  const std::string response =
      respond("GET /metrics HTTP/1.1\r\n\r\n", []() -> std::string { throw 42; });
  CHECK(status_line(response) == "HTTP/1.1 500 Internal Server Error");
  CHECK(body(response) == "the metrics could not be rendered\n");
}

TEST_CASE("the refusals for a head that is too long or cut short") {
  CHECK(status_line(idsync::metrics::http::refuse_oversized_head()) ==
        "HTTP/1.1 431 Request Header Fields Too Large");
  CHECK_THAT(idsync::metrics::http::refuse_oversized_head(), Contains("8192 bytes"));
  CHECK(status_line(idsync::metrics::http::refuse_incomplete_head()) == "HTTP/1.1 400 Bad Request");
}
