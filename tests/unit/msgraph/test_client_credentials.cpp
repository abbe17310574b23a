#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "auth/base64url.hpp"
#include "auth/client_credentials.hpp"
#include "support.hpp"
#include "test_pki.hpp"

using namespace idsync::msgraph;
using namespace idsync::http;
using namespace idsync::msgraph::test;
using std::chrono::milliseconds;
using std::chrono::seconds;

namespace {

const std::string kSecret = "Sup3r~Secret.Value_123";
const std::string kEndpoint =
    "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token";

ClientCredentialsSettings secret_settings() {
  ClientCredentialsSettings s;
  s.authority = "https://login.microsoftonline.com";
  s.tenant = "contoso.onmicrosoft.com";
  s.client_id = "11111111-2222-3333-4444-555555555555";
  s.client_secret = kSecret;
  s.scope = "https://graph.microsoft.com/.default";
  return s;
}

HttpResponse token_response(const std::string& token, int expires_in = 3599) {
  return response(200,
                  R"({"token_type":"Bearer","expires_in":)" + std::to_string(expires_in) +
                      R"(,"ext_expires_in":3599,"access_token":")" + token + R"("})",
                  {{"Content-Type", "application/json; charset=utf-8"}});
}

// Runs `f`, which must throw sdk::Error; returns it.
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

}  // namespace

TEST_CASE("client credentials: secret sent as form fields", "[client_credentials]") {
  ScriptedTransport transport;
  FakeClock clock;
  transport.then(token_response("eyJ0eXAi.first"));
  ClientCredentials creds(transport, clock, secret_settings());
  CHECK(creds.token_endpoint() == kEndpoint);
  CHECK(creds.access_token() == "eyJ0eXAi.first");

  REQUIRE(transport.requests.size() == 1);
  const HttpRequest& r = transport.requests[0];
  CHECK(r.method == "POST");
  CHECK(r.url == kEndpoint);
  CHECK(header_of(r, "Content-Type") == "application/x-www-form-urlencoded");
  const auto form = form_decode(r.body);
  CHECK(field_of(form, "grant_type") == "client_credentials");
  CHECK(field_of(form, "client_id") == "11111111-2222-3333-4444-555555555555");
  CHECK(field_of(form, "scope") == "https://graph.microsoft.com/.default");
  CHECK(field_of(form, "client_secret") == kSecret);
  CHECK_FALSE(has_field(form, "client_assertion"));
}

TEST_CASE("client credentials: certificate sends a signed assertion", "[client_credentials]") {
  ScriptedTransport transport;
  FakeClock clock;
  transport.then(token_response("tok"));
  auto settings = secret_settings();
  settings.client_secret.clear();
  settings.certificate_pem = test_pki().certificate_pem;
  settings.private_key_pem = test_pki().private_key_pem;
  ClientCredentials creds(transport, clock, settings);
  REQUIRE(creds.certificate());
  CHECK(creds.access_token() == "tok");

  const auto form = form_decode(transport.requests.at(0).body);
  CHECK_FALSE(has_field(form, "client_secret"));
  CHECK(field_of(form, "client_assertion_type") ==
        "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
  const std::string assertion = field_of(form, "client_assertion");
  const auto dot1 = assertion.find('.');
  const auto dot2 = assertion.rfind('.');
  REQUIRE(dot1 != dot2);
  const auto claims =
      boost::json::parse(*base64url_decode(assertion.substr(dot1 + 1, dot2 - dot1 - 1)));
  CHECK(claims.at("aud") == kEndpoint.c_str());
  CHECK(claims.at("iss") == "11111111-2222-3333-4444-555555555555");
  CHECK(claims.at("iat").to_number<int64_t>() == FakeClock::kWallStart.count());
  CHECK(verify_rs256(test_pki().certificate_pem, assertion.substr(0, dot2),
                     *base64url_decode(assertion.substr(dot2 + 1))));
}

TEST_CASE("client credentials: token cached until 5 minutes before expiry",
          "[client_credentials]") {
  ScriptedTransport transport;
  FakeClock clock;
  transport.then(token_response("one", 3600)).then(token_response("two", 3600));
  ClientCredentials creds(transport, clock, secret_settings());
  CHECK(creds.access_token() == "one");
  clock.advance(seconds{3600 - 300} - milliseconds{1});
  CHECK(creds.access_token() == "one");
  CHECK(transport.requests.size() == 1);
  clock.advance(milliseconds{1});
  CHECK(creds.access_token() == "two");
  CHECK(transport.requests.size() == 2);
}

TEST_CASE("client credentials: short lifetimes keep a tenth as margin", "[client_credentials]") {
  CHECK(token_refresh_margin(seconds{3600}) == seconds{300});
  CHECK(token_refresh_margin(seconds{600}) == seconds{300});
  CHECK(token_refresh_margin(seconds{599}) == seconds{59});
  CHECK(token_refresh_margin(seconds{300}) == seconds{30});

  ScriptedTransport transport;
  FakeClock clock;
  transport.then(token_response("short", 300)).then(token_response("next", 300));
  ClientCredentials creds(transport, clock, secret_settings());
  CHECK(creds.access_token() == "short");
  clock.advance(seconds{269});
  CHECK(creds.access_token() == "short");
  clock.advance(seconds{1});
  CHECK(creds.access_token() == "next");
}

TEST_CASE("client credentials: expires_in given as a string", "[client_credentials]") {
  ScriptedTransport transport;
  FakeClock clock;
  transport.then(response(200, R"({"access_token":"s","expires_in":"3600"})"))
      .then(token_response("t"));
  ClientCredentials creds(transport, clock, secret_settings());
  CHECK(creds.access_token() == "s");
  clock.advance(seconds{3000});
  CHECK(creds.access_token() == "s");
  clock.advance(seconds{300});
  CHECK(creds.access_token() == "t");
}

TEST_CASE("client credentials: invalidate forces a new token", "[client_credentials]") {
  ScriptedTransport transport;
  FakeClock clock;
  transport.then(token_response("old")).then(token_response("new"));
  ClientCredentials creds(transport, clock, secret_settings());
  CHECK(creds.access_token() == "old");
  creds.invalidate();
  CHECK(creds.access_token() == "new");
  CHECK(creds.access_token() == "new");
  CHECK(transport.requests.size() == 2);
}

TEST_CASE("client credentials: refused secret is a permission error without secrets",
          "[client_credentials]") {
  ScriptedTransport transport;
  FakeClock clock;
  transport.then(response(
      401,
      R"({"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.\r\nTrace ID: 0d9f\r\nCorrelation ID: 77aa\r\nTimestamp: 2024-05-01 12:00:00Z","error_codes":[7000215],"timestamp":"2024-05-01 12:00:00Z","trace_id":"0d9f","correlation_id":"77aa"})"));
  ClientCredentials creds(transport, clock, secret_settings());
  const auto e = thrown([&] { creds.access_token(); });
  CHECK(e.kind() == IDSYNC_ERR_PERMISSION);
  CHECK(e.status() == IDSYNC_ERROR);
  CHECK(std::string(e.what()) ==
        "login.microsoftonline.com refused the client credentials of "
        "11111111-2222-3333-4444-555555555555: invalid_client: AADSTS7000215: Invalid client "
        "secret provided. Ensure the secret being sent in the request is the client secret "
        "value, not the client secret ID.");
  CHECK(std::string(e.what()).find(kSecret) == std::string::npos);
  CHECK(transport.requests.size() == 1);  // not retried
}

TEST_CASE("client credentials: a description echoing the secret is redacted",
          "[client_credentials]") {
  ScriptedTransport transport;
  FakeClock clock;
  transport.then(response(400, R"({"error":"unauthorized_client","error_description":"client )" +
                                   kSecret + R"( is not allowed"})"));
  ClientCredentials creds(transport, clock, secret_settings());
  const auto e = thrown([&] { creds.access_token(); });
  CHECK(e.kind() == IDSYNC_ERR_PERMISSION);
  CHECK(std::string(e.what()).find(kSecret) == std::string::npos);
  CHECK_THAT(e.what(), Catch::Contains("***"));
}

TEST_CASE("client credentials: unknown tenant and bad scope are configuration errors",
          "[client_credentials]") {
  ScriptedTransport transport;
  FakeClock clock;
  transport
      .then(response(
          400,
          R"({"error":"invalid_request","error_description":"AADSTS90002: Tenant 'contoso.onmicrosoft.com' not found. Check to make sure you have the correct tenant ID.\r\nTrace ID: 1","error_codes":[90002]})"))
      .then(response(
          400,
          R"({"error":"invalid_scope","error_description":"AADSTS1002012: The provided value for scope https://graph.microsoft.com/User.Read is not valid.\r\nTrace ID: 2","error_codes":[1002012]})"));
  ClientCredentials creds(transport, clock, secret_settings());
  const auto tenant = thrown([&] { creds.access_token(); });
  CHECK(tenant.kind() == IDSYNC_ERR_CONFIG);
  CHECK(tenant.status() == IDSYNC_ERROR);
  CHECK_THAT(tenant.what(), Catch::Contains("invalid_request: AADSTS90002: Tenant"));
  CHECK_THAT(tenant.what(), !Catch::Contains("Trace ID"));
  const auto scope = thrown([&] { creds.access_token(); });
  CHECK(scope.kind() == IDSYNC_ERR_CONFIG);
  CHECK_THAT(scope.what(), Catch::Contains("invalid_scope"));
  CHECK(clock.sleeps.empty());
}

TEST_CASE("client credentials: 5xx and transport failures are retried", "[client_credentials]") {
  ScriptedTransport transport;
  FakeClock clock;
  transport.then(response(503, "Service Unavailable"))
      .then_fail(IDSYNC_ERR_CONNECTION, "POST to login.microsoftonline.com failed: reset")
      .then(response(500, R"({"error":"server_error"})"))
      .then(token_response("finally"));
  ClientCredentials creds(transport, clock, secret_settings());
  CHECK(creds.access_token() == "finally");
  CHECK(transport.requests.size() == 4);
  REQUIRE(clock.sleeps.size() == 3);
  // Exponential backoff from 500 ms with jitter in the upper half.
  CHECK(clock.sleeps[0] >= milliseconds{250});
  CHECK(clock.sleeps[0] <= milliseconds{500});
  CHECK(clock.sleeps[2] >= milliseconds{1000});
  CHECK(clock.sleeps[2] <= milliseconds{2000});
  // A fresh assertion or secret form each time, same content for a secret.
  CHECK(transport.requests[0].body == transport.requests[3].body);
}

TEST_CASE("client credentials: 429 waits exactly its Retry-After", "[client_credentials]") {
  ScriptedTransport transport;
  FakeClock clock;
  transport.then(response(429, "", {{"Retry-After", "7"}})).then(token_response("t"));
  ClientCredentials creds(transport, clock, secret_settings());
  CHECK(creds.access_token() == "t");
  CHECK(clock.sleeps == std::vector<milliseconds>{milliseconds{7000}});
}

TEST_CASE("client credentials: exhausted retries end in RETRY", "[client_credentials]") {
  ScriptedTransport transport;
  FakeClock clock;
  RetryPolicy policy;
  policy.max_attempts = 3;
  transport.then(response(500, ""))
      .then(response(502, ""))
      .then_fail(IDSYNC_ERR_TIMEOUT, "POST to login.microsoftonline.com failed: timeout");
  ClientCredentials creds(transport, clock, secret_settings(), policy);
  const auto e = thrown([&] { creds.access_token(); });
  CHECK(e.status() == IDSYNC_RETRY);
  CHECK(e.kind() == IDSYNC_ERR_TIMEOUT);
  CHECK_THAT(e.what(), Catch::Contains("after 3 attempts"));
  CHECK_THAT(e.what(), Catch::Contains("login.microsoftonline.com"));
  CHECK(std::string(e.what()).find(kSecret) == std::string::npos);
  CHECK(transport.requests.size() == 3);
}

TEST_CASE("client credentials: a Retry-After above the limit gives up at once",
          "[client_credentials]") {
  ScriptedTransport transport;
  FakeClock clock;
  transport.then(response(429, "", {{"Retry-After", "3600"}}));
  ClientCredentials creds(transport, clock, secret_settings());
  const auto e = thrown([&] { creds.access_token(); });
  CHECK(e.status() == IDSYNC_RETRY);
  CHECK(clock.sleeps.empty());
  CHECK(transport.requests.size() == 1);
}

TEST_CASE("client credentials: a 200 without a token is retried, tokens never in messages",
          "[client_credentials]") {
  ScriptedTransport transport;
  FakeClock clock;
  RetryPolicy policy;
  policy.max_attempts = 2;
  transport.then(response(200, "<html>proxy login</html>"))
      .then(response(200, R"({"token_type":"Bearer"})"));
  ClientCredentials creds(transport, clock, secret_settings(), policy);
  const auto e = thrown([&] { creds.access_token(); });
  CHECK(e.status() == IDSYNC_RETRY);
  CHECK_THAT(e.what(), Catch::Contains("no access token"));
}

TEST_CASE("client credentials: settings are checked up front", "[client_credentials]") {
  ScriptedTransport transport;
  FakeClock clock;
  auto expect_config = [&](ClientCredentialsSettings s, const char* fragment) {
    const auto e = thrown([&] { ClientCredentials(transport, clock, s); });
    CHECK(e.kind() == IDSYNC_ERR_CONFIG);
    CHECK_THAT(e.what(), Catch::Contains(fragment));
    CHECK(std::string(e.what()).find(kSecret) == std::string::npos);
  };
  auto both = secret_settings();
  both.certificate_pem = test_pki().certificate_pem;
  expect_config(both, "only one");
  auto neither = secret_settings();
  neither.client_secret.clear();
  expect_config(neither, "neither");
  auto no_tenant = secret_settings();
  no_tenant.tenant.clear();
  expect_config(no_tenant, "tenant");
  auto bad_authority = secret_settings();
  bad_authority.authority = "login.microsoftonline.com";
  expect_config(bad_authority, "authority");
  auto bad_cert = secret_settings();
  bad_cert.client_secret.clear();
  bad_cert.certificate_pem = "garbage";
  expect_config(bad_cert, "certificate");
  CHECK(transport.requests.empty());
}
