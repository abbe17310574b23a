// Test doubles of the client layer: a transport that replays a script and records what it was
// asked, a clock whose sleeps only advance its own time, and a token provider that counts.
#pragma once

#include <catch2/catch.hpp>
#include <chrono>
#include <deque>
#include <functional>
#include <idsync/sdk.hpp>
#include <string>
#include <utility>
#include <vector>

#include "auth/token_provider.hpp"
#include "http/clock.hpp"
#include "http/http_transport.hpp"

namespace idsync::msgraph::test {

class FakeClock : public http::Clock {
 public:
  // 2024-05-01 12:00:00 UTC
  static constexpr std::chrono::seconds kWallStart{1714564800};

  std::chrono::steady_clock::time_point now() override { return steady_; }
  std::chrono::system_clock::time_point wall_now() override { return wall_; }
  void sleep_for(std::chrono::milliseconds d) override {
    sleeps.push_back(d);
    advance(d);
  }
  void advance(std::chrono::milliseconds d) {
    steady_ += d;
    wall_ += d;
  }
  std::chrono::milliseconds slept() const {
    std::chrono::milliseconds total{0};
    for (auto d : sleeps) total += d;
    return total;
  }

  std::vector<std::chrono::milliseconds> sleeps;

 private:
  std::chrono::steady_clock::time_point steady_ =
      std::chrono::steady_clock::time_point{} + std::chrono::hours{1000};
  std::chrono::system_clock::time_point wall_ = std::chrono::system_clock::time_point{kWallStart};
};

inline http::HttpResponse response(long status, std::string body = {},
                                   std::vector<std::pair<std::string, std::string>> headers = {}) {
  http::HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  return r;
}

class ScriptedTransport : public http::HttpTransport {
 public:
  using Step = std::function<http::HttpResponse(const http::HttpRequest&)>;

  ScriptedTransport& then(http::HttpResponse r) {
    steps_.push_back([r](const http::HttpRequest&) { return r; });
    return *this;
  }
  ScriptedTransport& then(Step step) {
    steps_.push_back(std::move(step));
    return *this;
  }
  ScriptedTransport& then_fail(idsync_error_kind kind,
                               std::string message = "GET to graph.test failed: reset") {
    steps_.push_back([kind, message](const http::HttpRequest&) -> http::HttpResponse {
      throw sdk::Error(kind, message, IDSYNC_RETRY);
    });
    return *this;
  }
  // After the script: answer every further request with `step`.
  void always(Step step) { fallback_ = std::move(step); }

  http::HttpResponse send(const http::HttpRequest& request) override {
    requests.push_back(request);
    if (steps_.empty()) {
      if (fallback_) return fallback_(request);
      FAIL("unexpected request " << request.method << " " << request.url);
    }
    Step step = std::move(steps_.front());
    steps_.pop_front();
    return step(request);
  }
  std::size_t remaining() const { return steps_.size(); }

  std::vector<http::HttpRequest> requests;

 private:
  std::deque<Step> steps_;
  Step fallback_;
};

class FakeTokens : public TokenProvider {
 public:
  std::string access_token() override {
    ++calls;
    return "token-" + std::to_string(generation);
  }
  void invalidate() override {
    ++invalidations;
    ++generation;
  }
  int generation = 1;
  int calls = 0;
  int invalidations = 0;
};

// The value of `name` among the request's headers, "" when absent.
inline std::string header_of(const http::HttpRequest& r, std::string_view name) {
  for (const auto& [k, v] : r.headers)
    if (k.size() == name.size() && std::equal(k.begin(), k.end(), name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) ==
                 std::tolower(static_cast<unsigned char>(b));
        }))
      return v;
  return {};
}

// Decodes an application/x-www-form-urlencoded body.
inline std::vector<std::pair<std::string, std::string>> form_decode(std::string_view body) {
  auto decode = [](std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '+') {
        out += ' ';
      } else if (s[i] == '%' && i + 2 < s.size()) {
        out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
        i += 2;
      } else {
        out += s[i];
      }
    }
    return out;
  };
  std::vector<std::pair<std::string, std::string>> out;
  while (!body.empty()) {
    const auto amp = body.find('&');
    const std::string_view field = body.substr(0, amp);
    const auto eq = field.find('=');
    out.emplace_back(decode(field.substr(0, eq)),
                     eq == std::string_view::npos ? "" : decode(field.substr(eq + 1)));
    body.remove_prefix(amp == std::string_view::npos ? body.size() : amp + 1);
  }
  return out;
}

inline std::string field_of(const std::vector<std::pair<std::string, std::string>>& fields,
                            std::string_view name) {
  for (const auto& [k, v] : fields)
    if (k == name) return v;
  return {};
}
inline bool has_field(const std::vector<std::pair<std::string, std::string>>& fields,
                      std::string_view name) {
  for (const auto& [k, v] : fields)
    if (k == name) return true;
  return false;
}

}  // namespace idsync::msgraph::test
