// The shared retry loop (plugins/common/http/retrying_send.hpp) on its own, for what the Graph
// client's tests cannot show: a token that cannot be renewed (a SCIM service's static bearer
// token), an answer given up on with the caller's description, and the counters.
#include <catch2/catch.hpp>

#include "http/retrying_send.hpp"
#include "support.hpp"

using namespace idsync;
using namespace idsync::msgraph::test;
using std::chrono::milliseconds;

namespace {

struct Fixture {
  ScriptedTransport transport;
  FakeClock clock;
  http::RetryPolicy policy;
  uint64_t seed = 7;
  http::RetryCounters counters;
  int refreshes = 0;
  bool renewable = true;
  http::RetryingSend how;

  Fixture() {
    policy.max_attempts = 3;
    how.prepare = [this](http::HttpRequest& r) {
      r.headers.emplace_back("Authorization", "Bearer t" + std::to_string(refreshes));
    };
    how.refresh_token = [this] {
      ++refreshes;
      return renewable;
    };
    how.describe = [](const http::HttpResponse& r) {
      return "status " + std::to_string(r.status) + " (" + r.body + ")";
    };
  }

  http::HttpResponse send() {
    http::HttpRequest request;
    request.method = "GET";
    request.url = "https://svc.test/Users";
    return http::send_with_retries(transport, request, "GET svc.test/Users", policy, clock, seed,
                                   how, counters);
  }
};

}  // namespace

TEST_CASE("retrying send: a 401 with a token that cannot be renewed is returned at once") {
  Fixture f;
  f.renewable = false;
  f.transport.then(response(401, "expired"));
  CHECK(f.send().status == 401);
  CHECK(f.refreshes == 1);
  CHECK(f.transport.requests.size() == 1);
  CHECK(f.counters.retries == 0);
}

TEST_CASE("retrying send: a 401 with a renewable token goes again once, with the new token") {
  Fixture f;
  f.transport.then(response(401)).then(response(401)).then(response(200, "{}"));
  // The second 401 is the service's answer: the token was just renewed.
  CHECK(f.send().status == 401);
  REQUIRE(f.transport.requests.size() == 2);
  CHECK(header_of(f.transport.requests[0], "Authorization") == "Bearer t0");
  CHECK(header_of(f.transport.requests[1], "Authorization") == "Bearer t1");
  CHECK(f.refreshes == 1);
  CHECK(f.counters.retries == 1);
}

TEST_CASE("retrying send: giving up on 5xx answers says what and why, in the caller's words") {
  Fixture f;
  f.transport.then(response(503, "busy")).then(response(500, "oops")).then(response(504, "slow"));
  try {
    f.send();
    FAIL("no error");
  } catch (const sdk::Error& e) {
    CHECK(e.kind() == IDSYNC_ERR_TIMEOUT);  // the last answer was a 504
    CHECK(e.status() == IDSYNC_RETRY);
    CHECK(std::string(e.what()) == "GET svc.test/Users failed after 3 attempts: status 504 (slow)");
  }
  CHECK(f.counters.requests == 3);
  CHECK(f.counters.retries == 2);
  CHECK(f.counters.throttled == 1);
  CHECK(f.counters.waited == f.clock.slept());
  CHECK(f.clock.sleeps.size() == 2);
}

TEST_CASE("retrying send: a paced write takes its units, and its 429 pauses every write") {
  Fixture f;
  http::WritePacer pacer(10, milliseconds(1000), f.clock);
  f.how.pacer = &pacer;
  f.how.pace_units = 4;
  f.transport.then(response(429, "", {{"Retry-After", "3"}})).then(response(201));
  const auto started = f.clock.now();
  CHECK(f.send().status == 201);
  CHECK(f.clock.sleeps.front() == milliseconds(3000));
  CHECK(pacer.paused_until() == started + milliseconds(3000));
  CHECK(pacer.available() == 10 - 4);  // the retry's units; the first try's left the window
}
