#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "graph/graph_client.hpp"
#include "support.hpp"

using namespace idsync::msgraph;
using namespace idsync::http;
using namespace idsync::msgraph::test;
using std::chrono::milliseconds;

namespace {

const std::string kBase = "https://graph.microsoft.com/v1.0";

struct Fixture {
  ScriptedTransport transport;
  FakeTokens tokens;
  FakeClock clock;
  WritePacer pacer{0, milliseconds{1000}, clock};
  GraphClientSettings settings() {
    GraphClientSettings s;
    s.graph_base = kBase;
    return s;
  }
  GraphClient client{transport, tokens, pacer, clock, settings()};
};

template <class F>
idsync::sdk::Error thrown(F&& f) {
  try {
    f();
  } catch (const idsync::sdk::Error& e) {
    return e;
  }
  FAIL("no sdk::Error thrown");
  throw 0;
}

const char* kThrottled =
    R"({"error":{"code":"TooManyRequests","message":"Too many requests.","innerError":{"request-id":"r1"}}})";

}  // namespace

TEST_CASE("graph client: GET sends token, Accept and a request id", "[graph_client]") {
  Fixture f;
  f.transport.then(response(200, R"({"value":[]})"));
  const auto r = f.client.get("/users?$select=id");
  CHECK(r.status == 200);
  REQUIRE(f.transport.requests.size() == 1);
  const auto& req = f.transport.requests[0];
  CHECK(req.method == "GET");
  CHECK(req.url == kBase + "/users?$select=id");
  CHECK(header_of(req, "Authorization") == "Bearer token-1");
  CHECK(header_of(req, "Accept") == "application/json");
  CHECK(header_of(req, "client-request-id").size() == 36);
  CHECK(header_of(req, "Content-Type").empty());
  CHECK(header_of(req, "Prefer").empty());  // not a delta query
  CHECK(f.client.counters().requests == 1);
}

TEST_CASE("graph client: relative paths and same-host links", "[graph_client]") {
  Fixture f;
  f.transport.always([](const HttpRequest&) { return response(200, "{}"); });
  f.client.get("users");
  f.client.get("https://graph.microsoft.com/v1.0/users?$skiptoken=abc");
  f.client.get("HTTPS://GRAPH.MICROSOFT.COM/v1.0/users?$skiptoken=def");
  CHECK(f.transport.requests[0].url == kBase + "/users");
  CHECK(f.transport.requests[1].url == "https://graph.microsoft.com/v1.0/users?$skiptoken=abc");
  CHECK(f.transport.requests.size() == 3);
}

TEST_CASE("graph client: a link to another host is refused before sending", "[graph_client]") {
  Fixture f;
  for (const char* link :
       {"https://evil.example/v1.0/users?$skiptoken=x",
        "https://graph.microsoft.com.evil.example/v1.0/users",
        "http://graph.microsoft.com/v1.0/users", "https://graph.microsoft.com:444/v1.0/users",
        "https://graph.microsoft.com@evil.example/v1.0/users"}) {
    INFO(link);
    const auto e = thrown([&] { f.client.get(link); });
    CHECK(e.kind() == IDSYNC_ERR_CONFIG);
  }
  CHECK(f.transport.requests.empty());
  CHECK(f.tokens.calls == 0);
}

TEST_CASE("graph client: delta queries ask for the page size", "[graph_client]") {
  Fixture f;
  f.transport.always([](const HttpRequest&) { return response(200, "{}"); });
  f.client.get("/users/delta?$select=id,displayName");
  f.client.get("https://graph.microsoft.com/v1.0/groups/delta()?$deltatoken=x",
               {{"Prefer", "return=minimal"}});
  f.client.get("/users", {{"ConsistencyLevel", "eventual"}, {"Authorization", "Bearer stolen"}});
  CHECK(header_of(f.transport.requests[0], "Prefer") == "odata.maxpagesize=999");
  CHECK(header_of(f.transport.requests[1], "Prefer") == "return=minimal, odata.maxpagesize=999");
  CHECK(header_of(f.transport.requests[2], "ConsistencyLevel") == "eventual");
  CHECK(header_of(f.transport.requests[2], "Authorization") == "Bearer token-1");
}

TEST_CASE("graph client: a write sends JSON and acquires the pacer", "[graph_client]") {
  ScriptedTransport transport;
  FakeTokens tokens;
  FakeClock clock;
  WritePacer pacer(2, milliseconds{1000}, clock);
  GraphClientSettings s;
  s.graph_base = kBase + "/";  // a trailing slash is tolerated
  GraphClient client(transport, tokens, pacer, clock, s);
  CHECK(client.graph_base() == kBase);
  transport.always([](const HttpRequest&) { return response(204); });
  const boost::json::value body = {{"accountEnabled", false}};
  for (int i = 0; i < 3; ++i) client.send("PATCH", "/users/42", &body);
  client.get("/users/42");  // reads are not paced
  CHECK(clock.sleeps == std::vector<milliseconds>{milliseconds{1000}});
  const auto& req = transport.requests[0];
  CHECK(req.method == "PATCH");
  CHECK(req.url == kBase + "/users/42");
  CHECK(req.body == R"({"accountEnabled":false})");
  CHECK(header_of(req, "Content-Type") == "application/json");
  client.send("DELETE", "/users/42", nullptr);
  CHECK(transport.requests.back().body.empty());
  CHECK(header_of(transport.requests.back(), "Content-Type").empty());
}

TEST_CASE("graph client: 401 refreshes the token once", "[graph_client]") {
  Fixture f;
  f.transport.then(response(401, R"({"error":{"code":"InvalidAuthenticationToken"}})"))
      .then(response(200, "{}"));
  CHECK(f.client.get("/users").status == 200);
  CHECK(f.tokens.invalidations == 1);
  CHECK(header_of(f.transport.requests[0], "Authorization") == "Bearer token-1");
  CHECK(header_of(f.transport.requests[1], "Authorization") == "Bearer token-2");
  CHECK(f.clock.sleeps.empty());

  Fixture g;
  g.transport.then(response(401))
      .then(response(401, R"({"error":{"code":"Authorization_IdentityNotFound"}})"));
  CHECK(g.client.get("/users").status == 401);  // the second one is returned
  CHECK(g.tokens.invalidations == 1);
  CHECK(g.transport.requests.size() == 2);
}

TEST_CASE("graph client: 429 waits exactly the Retry-After", "[graph_client]") {
  Fixture f;
  f.transport.then(response(429, kThrottled, {{"Retry-After", "12"}})).then(response(200, "{}"));
  CHECK(f.client.get("/users").status == 200);
  CHECK(f.clock.sleeps == std::vector<milliseconds>{milliseconds{12000}});
  CHECK(f.client.counters().throttled == 1);
  CHECK(f.client.counters().retries == 1);
  CHECK(f.client.counters().waited == milliseconds{12000});
  CHECK(f.pacer.paused_until() < f.clock.now() - milliseconds{12000});  // a read: no pause
}

TEST_CASE("graph client: a write's 429 pauses every write", "[graph_client]") {
  Fixture f;
  const auto start = f.clock.now();
  f.transport.then(response(429, kThrottled, {{"retry-after", "5"}})).then(response(204));
  CHECK(f.client.send("DELETE", "/groups/g/members/u/$ref", nullptr).status == 204);
  CHECK(f.pacer.paused_until() == start + milliseconds{5000});
  CHECK(f.clock.sleeps == std::vector<milliseconds>{milliseconds{5000}});
}

TEST_CASE("graph client: 503 without Retry-After backs off", "[graph_client]") {
  Fixture f;
  f.transport.then(response(503, "")).then(response(503, "")).then(response(200, "{}"));
  CHECK(f.client.get("/users").status == 200);
  REQUIRE(f.clock.sleeps.size() == 2);
  CHECK(f.clock.sleeps[0] >= milliseconds{250});
  CHECK(f.clock.sleeps[0] <= milliseconds{500});
  CHECK(f.clock.sleeps[1] >= milliseconds{500});
  CHECK(f.clock.sleeps[1] <= milliseconds{1000});
}

TEST_CASE("graph client: 500s exhaust the attempts and end in RETRY", "[graph_client]") {
  Fixture f;
  f.transport.always([](const HttpRequest&) {
    return response(500, R"({"error":{"code":"UnknownError","message":"Oops"}})");
  });
  const auto e = thrown([&] { f.client.get("/users?$filter=x"); });
  CHECK(e.status() == IDSYNC_RETRY);
  CHECK(e.kind() == IDSYNC_ERR_CONNECTION);
  CHECK(std::string(e.what()) ==
        "GET graph.microsoft.com/v1.0/users failed after 6 attempts: 500 UnknownError: Oops");
  CHECK(f.transport.requests.size() == 6);
  CHECK(f.clock.sleeps.size() == 5);
  for (std::size_t i = 0; i < 5; ++i) CHECK(f.clock.sleeps[i] <= milliseconds{30000});
  // The same logical request: one client-request-id across the retries.
  const std::string id = header_of(f.transport.requests[0], "client-request-id");
  for (const auto& r : f.transport.requests) CHECK(header_of(r, "client-request-id") == id);
  // A new logical request gets a new one.
  f.transport.then(response(200, "{}"));
  f.client.get("/users");
  CHECK(header_of(f.transport.requests.back(), "client-request-id") != id);
}

TEST_CASE("graph client: transport failures are retried, then their kind is kept",
          "[graph_client]") {
  Fixture f;
  f.transport.then_fail(IDSYNC_ERR_CONNECTION).then(response(200, "{}"));
  CHECK(f.client.get("/users").status == 200);
  CHECK(f.clock.sleeps.size() == 1);

  Fixture g;
  for (int i = 0; i < 6; ++i)
    g.transport.then_fail(IDSYNC_ERR_TIMEOUT, "GET to graph.microsoft.com failed: timed out");
  const auto e = thrown([&] { g.client.get("/users"); });
  CHECK(e.kind() == IDSYNC_ERR_TIMEOUT);
  CHECK(e.status() == IDSYNC_RETRY);
  CHECK_THAT(e.what(), Catch::Contains("timed out"));
  CHECK(std::string(e.what()).find("token-") == std::string::npos);
}

TEST_CASE("graph client: a Retry-After above the cap gives up at once", "[graph_client]") {
  Fixture f;
  f.transport.then(response(429, kThrottled, {{"Retry-After", "301"}}));
  const auto e = thrown([&] { f.client.get("/users"); });
  CHECK(e.status() == IDSYNC_RETRY);
  CHECK_THAT(e.what(), Catch::Contains("301 s"));
  CHECK(f.clock.sleeps.empty());
  CHECK(f.transport.requests.size() == 1);
}

TEST_CASE("graph client: other 4xx answers are returned", "[graph_client]") {
  Fixture f;
  f.transport.then(response(404, R"({"error":{"code":"Request_ResourceNotFound"}})"))
      .then(response(400, R"({"error":{"code":"Request_BadRequest"}})"))
      .then(response(403, R"({"error":{"code":"Authorization_RequestDenied"}})"));
  CHECK(f.client.get("/users/nope").status == 404);
  const boost::json::value body = {{"displayName", "x"}};
  CHECK(f.client.send("POST", "/users", &body).status == 400);
  CHECK(f.client.send("DELETE", "/users/x", nullptr).status == 403);
  CHECK(f.clock.sleeps.empty());
  CHECK(f.transport.requests.size() == 3);
}

TEST_CASE("graph client: bad endpoint is a configuration error", "[graph_client]") {
  ScriptedTransport transport;
  FakeTokens tokens;
  FakeClock clock;
  WritePacer pacer(0, milliseconds{0}, clock);
  GraphClientSettings s;
  s.graph_base = "graph.microsoft.com/v1.0";
  const auto e = thrown([&] { GraphClient(transport, tokens, pacer, clock, s); });
  CHECK(e.kind() == IDSYNC_ERR_CONFIG);
}
