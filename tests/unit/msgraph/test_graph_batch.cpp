#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <map>

#include "graph/graph_client.hpp"
#include "graph/graph_error.hpp"
#include "support.hpp"

using namespace idsync::msgraph;
using namespace idsync::http;
using namespace idsync::msgraph::test;
using std::chrono::milliseconds;

namespace {

const std::string kBase = "https://graph.microsoft.com/v1.0";

struct SubAnswer {
  long status = 204;
  boost::json::object headers;
  boost::json::value body;
};
using Answerer = std::function<SubAnswer(const std::string& method, const std::string& url)>;

// A $batch handler: answers every sub-request through `answer`, in reverse order.
ScriptedTransport::Step batch_handler(Answerer answer) {
  return [answer](const HttpRequest& request) {
    REQUIRE(request.method == "POST");
    REQUIRE(request.url == kBase + "/$batch");
    const auto json = boost::json::parse(request.body);
    boost::json::array responses;
    for (const auto& item : json.at("requests").as_array()) {
      const SubAnswer a = answer(std::string(item.at("method").as_string()),
                                 std::string(item.at("url").as_string()));
      boost::json::object r{{"id", item.at("id")}, {"status", a.status}, {"headers", a.headers}};
      if (!a.body.is_null()) r["body"] = a.body;
      responses.insert(responses.begin(), std::move(r));
    }
    return response(200, boost::json::serialize(boost::json::object{{"responses", responses}}),
                    {{"Content-Type", "application/json"}});
  };
}

// The urls of each $batch POST, in order.
std::vector<std::vector<std::string>> sent_urls(const ScriptedTransport& t) {
  std::vector<std::vector<std::string>> out;
  for (const auto& r : t.requests) {
    std::vector<std::string> urls;
    const auto json = boost::json::parse(r.body);
    for (const auto& item : json.at("requests").as_array())
      urls.emplace_back(item.at("url").as_string());
    out.push_back(urls);
  }
  return out;
}

std::vector<BatchRequest> member_adds(int n) {
  std::vector<BatchRequest> out;
  for (int i = 0; i < n; ++i)
    out.push_back(
        {"POST", "/groups/g/members/$ref?n=" + std::to_string(i),
         boost::json::value{{"@odata.id", kBase + "/directoryObjects/u" + std::to_string(i)}}});
  return out;
}

struct Fixture {
  explicit Fixture(int writes = 0) : pacer(writes, milliseconds{1000}, clock) {}
  ScriptedTransport transport;
  FakeTokens tokens;
  FakeClock clock;
  WritePacer pacer;
  GraphClient client() {
    GraphClientSettings s;
    s.graph_base = kBase;
    return GraphClient(transport, tokens, pacer, clock, s);
  }
};

}  // namespace

TEST_CASE("batch: chunks of 20, answers matched by id, results in request order", "[batch]") {
  Fixture f;
  const Answerer echo = [](const std::string&, const std::string& url) {
    return SubAnswer{200, {{"Content-Type", "application/json"}}, boost::json::value{{"url", url}}};
  };
  f.transport.always(batch_handler(echo));
  auto client = f.client();
  const auto requests = member_adds(45);
  const auto results = client.batch(requests);

  const auto sent = sent_urls(f.transport);
  REQUIRE(sent.size() == 3);
  CHECK(sent[0].size() == 20);
  CHECK(sent[1].size() == 20);
  CHECK(sent[2].size() == 5);
  CHECK(sent[0].front() == requests[0].url);
  CHECK(sent[2].back() == requests[44].url);
  REQUIRE(results.size() == 45);
  for (std::size_t i = 0; i < results.size(); ++i) {
    CHECK(results[i].status == 200);
    CHECK(results[i].body.at("url") == requests[i].url.c_str());
    CHECK(results[i].header("content-type") == std::optional<std::string>("application/json"));
  }
  CHECK(header_of(f.transport.requests[0], "Authorization") == "Bearer token-1");
  CHECK(header_of(f.transport.requests[0], "Content-Type") == "application/json");
  CHECK(f.clock.sleeps.empty());
  CHECK(client.batch({}).empty());
  CHECK(f.transport.requests.size() == 3);
}

TEST_CASE("batch: a throttled sub-request is re-sent after its Retry-After, alone", "[batch]") {
  Fixture f(100);
  auto client = f.client();
  const auto start = f.clock.now();
  const auto requests = member_adds(5);
  int calls = 0;
  f.transport.always(batch_handler([&](const std::string&, const std::string& url) {
    ++calls;
    if (url == requests[2].url && calls <= 5)
      return SubAnswer{429,
                       {{"Retry-After", "4"}},
                       boost::json::value{{"error", {{"code", "TooManyRequests"}}}}};
    if (url == requests[4].url && calls <= 5)
      return SubAnswer{503, {{"Retry-After", "2"}}, nullptr};
    return SubAnswer{204, {}, nullptr};
  }));
  const auto results = client.batch(requests);

  const auto sent = sent_urls(f.transport);
  REQUIRE(sent.size() == 2);
  CHECK(sent[0].size() == 5);
  // Only the throttled ones again, in request order.
  CHECK(sent[1] == std::vector<std::string>{requests[2].url, requests[4].url});
  // The largest Retry-After of the chunk, once.
  CHECK(f.clock.sleeps == std::vector<milliseconds>{milliseconds{4000}});
  CHECK(f.pacer.paused_until() == start + milliseconds{4000});
  REQUIRE(results.size() == 5);
  for (const auto& r : results) CHECK(r.status == 204);
  CHECK(client.counters().throttled == 2);
  CHECK(client.counters().retries == 2);
}

TEST_CASE("batch: 5xx sub-responses back off and end with their last answer", "[batch]") {
  Fixture f;
  GraphClientSettings s;
  s.graph_base = kBase;
  s.retry.max_attempts = 3;
  GraphClient client(f.transport, f.tokens, f.pacer, f.clock, s);
  const std::vector<BatchRequest> requests = {{"GET", "/users/a", std::nullopt},
                                              {"GET", "/users/b", std::nullopt}};
  f.transport.always(batch_handler([](const std::string&, const std::string& url) {
    if (url == "/users/b")
      return SubAnswer{
          500, {}, boost::json::value{{"error", {{"code", "UnknownError"}, {"message", "boom"}}}}};
    return SubAnswer{200, {}, boost::json::value{{"id", "a"}}};
  }));
  const auto results = client.batch(requests);
  CHECK(f.transport.requests.size() == 3);  // b tried 3 times in all
  CHECK(results[0].status == 200);
  CHECK(results[1].status == 500);
  CHECK(describe(parse_graph_error(results[1]), results[1].status) == "500 UnknownError: boom");
  REQUIRE(f.clock.sleeps.size() == 2);
  CHECK(f.clock.sleeps[0] <= milliseconds{500});
  CHECK(f.clock.sleeps[1] >= milliseconds{500});
  CHECK(f.pacer.paused_until() < f.clock.now() - milliseconds{10000});  // reads: no pause
}

TEST_CASE("batch: a sub-request Retry-After above the cap returns its 429", "[batch]") {
  Fixture f;
  auto client = f.client();
  f.transport.always(batch_handler([](const std::string&, const std::string&) {
    return SubAnswer{429, {{"Retry-After", "900"}}, nullptr};
  }));
  const auto results = client.batch(member_adds(2));
  CHECK(f.transport.requests.size() == 1);
  CHECK(results[0].status == 429);
  CHECK(results[1].status == 429);
  CHECK(f.clock.sleeps.empty());
}

TEST_CASE("batch: chunks hold no more writes than the pacer allows", "[batch]") {
  Fixture f(5);
  auto client = f.client();
  f.transport.always(
      batch_handler([](const std::string&, const std::string&) { return SubAnswer{}; }));
  auto requests = member_adds(12);
  requests.insert(requests.begin() + 5, BatchRequest{"GET", "/users/r", std::nullopt});
  client.batch(requests);
  const auto sent = sent_urls(f.transport);
  REQUIRE(sent.size() == 3);
  CHECK(sent[0].size() == 6);  // 5 writes and the read after them
  CHECK(sent[1].size() == 5);
  CHECK(sent[2].size() == 2);
  // 5 writes per second: the second and third chunk waited a full window.
  CHECK(f.clock.sleeps == std::vector<milliseconds>{milliseconds{1000}, milliseconds{1000}});
}

TEST_CASE("batch: an id missing from the answer gives status 0 with a clear error", "[batch]") {
  Fixture f;
  auto client = f.client();
  f.transport.then(response(200, R"({"responses":[{"id":"2","status":204}]})"));
  const auto results = client.batch(member_adds(2));
  CHECK(results[1].status == 204);
  CHECK(results[0].status == 0);
  const auto error = parse_graph_error(results[0]);
  CHECK(error.code == kBatchNoAnswerCode);
  CHECK_THAT(error.message, Catch::Contains("no response"));
}

TEST_CASE("batch: the $batch POST itself is retried and refused as a whole", "[batch]") {
  Fixture f;
  auto client = f.client();
  f.transport.then(response(429, "", {{"Retry-After", "1"}}))
      .then(batch_handler([](const std::string&, const std::string&) { return SubAnswer{}; }))
      .then(response(
          400, R"({"error":{"code":"BadRequest","message":"Invalid batch payload format."}})"));
  const auto ok = client.batch(member_adds(1));
  CHECK(ok[0].status == 204);
  CHECK(f.clock.sleeps == std::vector<milliseconds>{milliseconds{1000}});
  const auto refused = client.batch(member_adds(2));
  CHECK(refused[0].status == 400);
  CHECK(refused[1].status == 400);
  CHECK(parse_graph_error(refused[1]).message == "Invalid batch payload format.");
}

TEST_CASE("batch: a failed POST throws unless earlier chunks were answered", "[batch]") {
  SECTION("nothing answered yet: thrown") {
    Fixture f;
    auto client = f.client();
    f.transport.then(response(200, "not json"));
    try {
      client.batch(member_adds(3));
      FAIL("no error");
    } catch (const idsync::sdk::Error& e) {
      CHECK(e.status() == IDSYNC_RETRY);
      CHECK(e.kind() == IDSYNC_ERR_CONNECTION);
    }
  }
  SECTION("after an answered chunk: the rest come back as not sent") {
    Fixture f;
    auto client = f.client();
    f.transport.then(batch_handler([](const std::string&, const std::string&) {
      return SubAnswer{201, {}, nullptr};
    }));
    f.transport.always([](const HttpRequest&) -> HttpResponse {
      throw idsync::sdk::Error(IDSYNC_ERR_CONNECTION, "POST to graph.microsoft.com failed: reset",
                               IDSYNC_RETRY);
    });
    const auto results = client.batch(member_adds(45));
    REQUIRE(results.size() == 45);
    for (int i = 0; i < 20; ++i) CHECK(results[i].status == 201);
    for (int i = 20; i < 45; ++i) {
      CHECK(results[i].status == 0);
      CHECK(parse_graph_error(results[i]).code == kBatchNotSentCode);
    }
    CHECK_THAT(parse_graph_error(results[44]).message, Catch::Contains("reset"));
  }
}
