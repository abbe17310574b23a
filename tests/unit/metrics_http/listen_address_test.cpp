// parse_listen_address(): the loopback forms it accepts, and messages that say what is wrong
// and what is expected for everything else.
#include <catch2/catch.hpp>

#include "metrics_http/metrics_server.hpp"

using Catch::Matchers::Contains;
using idsync::metrics::ListenAddress;
using idsync::metrics::MetricsError;
using idsync::metrics::parse_listen_address;

namespace {

struct Accepted {
  const char* text;
  const char* host;
  uint16_t port;
};

struct Refused {
  const char* text;
  const char* why;  // part of the message that says what is wrong
};

}  // namespace

TEST_CASE("the loopback forms are accepted") {
  const Accepted form = GENERATE(values<Accepted>({
      {"127.0.0.1:9464", "127.0.0.1", 9464},
      {"[::1]:9464", "::1", 9464},
      {"localhost:9464", "127.0.0.1", 9464},
      {"LocalHost:80", "127.0.0.1", 80},
      {"127.0.0.2:65535", "127.0.0.2", 65535},
      {"127.255.255.254:1", "127.255.255.254", 1},
      {"[0:0:0:0:0:0:0:1]:9464", "::1", 9464},
      {"127.0.0.1:0", "127.0.0.1", 0},
      {"127.0.0.1:09464", "127.0.0.1", 9464},
  }));
  CAPTURE(form.text);
  const ListenAddress address = parse_listen_address(form.text);
  CHECK(address.host == form.host);
  CHECK(address.port == form.port);
}

TEST_CASE("other addresses are refused with a message naming the text and what is expected") {
  const Refused form = GENERATE(values<Refused>({
      {"0.0.0.0:9464", "0.0.0.0 is not a loopback address"},
      {"192.168.1.1:80", "192.168.1.1 is not a loopback address"},
      {"[::]:9464", ":: is not a loopback address"},
      {"[::ffff:127.0.0.1]:9464", "not a loopback address"},
      {"128.0.0.1:9464", "not a loopback address"},
      {"127.0.0.1", "the port is missing"},
      {"127.0.0.1:", "the port is missing"},
      {"[::1]", "the port is missing"},
      {"127.0.0.1:70000", "the port must be a number from 1 to 65535"},
      {"127.0.0.1:65536", "the port must be a number from 1 to 65535"},
      {"127.0.0.1:99999999999999999999", "the port must be a number from 1 to 65535"},
      {"127.0.0.1:-1", "the port must be a number"},
      {"127.0.0.1:+80", "the port must be a number"},
      {"127.0.0.1: 80", "the port must be a number"},
      {"127.0.0.1:80x", "the port must be a number"},
      {":9464", "the host is missing"},
      {"[]:9464", "the host is missing"},
      {"", "it is empty"},
      {"::1:9464", "an IPv6 address goes in brackets"},
      {"[::1]9464", "a ':' and the port must follow the ']'"},
      {"[::1:9464", "the '[' is not closed"},
      {"[127.0.0.1]:9464", "brackets are for IPv6 addresses"},
      {"example.com:9464", "\"example.com\" is neither an IP address nor localhost"},
      {"127.1:9464", "neither an IP address nor localhost"},
      {" 127.0.0.1:9464", "neither an IP address nor localhost"},
  }));
  CAPTURE(form.text);
  CHECK_THROWS_MATCHES(
      parse_listen_address(form.text), MetricsError,
      Catch::Matchers::Predicate<MetricsError>(
          [&form](const MetricsError& error) {
            const std::string message = error.what();
            return message.find("\"" + std::string(form.text) + "\"") != std::string::npos &&
                   message.find(form.why) != std::string::npos &&
                   message.find("expected 127.0.0.1:PORT, [::1]:PORT or localhost:PORT") !=
                       std::string::npos;
          },
          std::string("quotes the text, says \"") + form.why + "\" and what is expected"));
}

TEST_CASE("a refused address that is not loopback says why only loopback is served") {
  CHECK_THROWS_WITH(parse_listen_address("0.0.0.0:9464"), Contains("served to this machine only"));
}

TEST_CASE("to_string() writes what parse_listen_address() reads") {
  for (const char* text : {"127.0.0.1:9464", "[::1]:9464", "127.0.0.3:0"}) {
    CAPTURE(text);
    CHECK(to_string(parse_listen_address(text)) == text);
  }
}
