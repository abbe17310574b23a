#include "auth/client_credentials.hpp"

#include <boost/json.hpp>
#include <idsync/sdk.hpp>
#include <random>

#include "auth/token_error.hpp"
#include "http/retry_after.hpp"
#include "http/url.hpp"

namespace idsync::msgraph {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr std::string_view kAssertionType =
    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
// Used when the answer lacks expires_in (Entra always sends it): short, so a wrong guess costs
// little more than an early refresh.
constexpr seconds kAssumedLifetime{300};

[[noreturn]] void config(const std::string& message) {
  throw sdk::Error(IDSYNC_ERR_CONFIG, message, IDSYNC_ERROR);
}

// expires_in is a number in v2.0 answers and a string in some older ones.
std::optional<seconds> expires_in(const boost::json::object& o) {
  const auto* v = o.if_contains("expires_in");
  if (!v) return std::nullopt;
  if (v->is_int64() && v->get_int64() > 0) return seconds{v->get_int64()};
  if (v->is_uint64()) return seconds{static_cast<int64_t>(v->get_uint64())};
  if (v->is_string()) {
    int64_t n = 0;
    for (const char c : v->get_string()) {
      if (c < '0' || c > '9' || n > (int64_t{1} << 40)) return std::nullopt;
      n = n * 10 + (c - '0');
    }
    if (n > 0) return seconds{n};
  }
  return std::nullopt;
}

std::string seconds_text(milliseconds d) { return std::to_string((d.count() + 999) / 1000) + " s"; }

}  // namespace

seconds token_refresh_margin(seconds lifetime) {
  if (lifetime < std::chrono::minutes{10}) return lifetime / 10;
  return std::chrono::minutes{5};
}

ClientCredentials::ClientCredentials(http::HttpTransport& transport, http::Clock& clock,
                                     ClientCredentialsSettings settings, http::RetryPolicy retry)
    : transport_(transport),
      clock_(clock),
      settings_(std::move(settings)),
      retry_(retry),
      jitter_seed_(std::random_device{}()) {
  std::string authority = settings_.authority;
  while (!authority.empty() && authority.back() == '/') authority.pop_back();
  if (http::url_origin(authority).empty())
    config("the authority \"" + authority + "\" is not an absolute URL");
  if (settings_.tenant.empty()) config("the tenant is not set");
  if (settings_.client_id.empty()) config("the client id is not set");
  if (settings_.scope.empty()) config("the token scope is not set");
  const bool has_secret = !settings_.client_secret.empty();
  const bool has_certificate = !settings_.certificate_pem.empty();
  if (has_secret && has_certificate)
    config("both a client secret and a client certificate are set; give only one");
  if (!has_secret && !has_certificate) {
    if (!settings_.private_key_pem.empty())
      config("a private key is set without its client certificate");
    config("neither a client secret nor a client certificate is set");
  }
  if (has_certificate)
    certificate_ =
        SigningCertificate::from_pem(settings_.certificate_pem, settings_.private_key_pem);
  token_endpoint_ = authority + "/" + http::percent_encode(settings_.tenant) + "/oauth2/v2.0/token";
  host_ = http::url_host(token_endpoint_);
}

std::string ClientCredentials::access_token() {
  std::lock_guard lock(mutex_);
  if (token_ && clock_.now() < token_->refresh_at) return token_->value;
  token_.reset();
  token_ = fetch();
  return token_->value;
}

void ClientCredentials::invalidate() {
  std::lock_guard lock(mutex_);
  token_.reset();
}

std::string ClientCredentials::redact(std::string message) const {
  for (const std::string* secret : {&settings_.client_secret, &settings_.private_key_pem}) {
    if (secret->size() < 4) continue;  // too short to search for without mangling the text
    for (auto at = message.find(*secret); at != std::string::npos; at = message.find(*secret))
      message.replace(at, secret->size(), "***");
  }
  return message;
}

http::HttpRequest ClientCredentials::token_request() {
  std::vector<std::pair<std::string, std::string>> form = {
      {"grant_type", "client_credentials"},
      {"client_id", settings_.client_id},
      {"scope", settings_.scope},
  };
  if (certificate_) {
    form.emplace_back("client_assertion_type", std::string(kAssertionType));
    form.emplace_back("client_assertion",
                      make_client_assertion(*certificate_, settings_.client_id, token_endpoint_,
                                            clock_.wall_now()));
  } else {
    form.emplace_back("client_secret", settings_.client_secret);
  }
  http::HttpRequest request;
  request.method = "POST";
  request.url = token_endpoint_;
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                     {"Accept", "application/json"}};
  request.body = http::form_encode(form);
  return request;
}

ClientCredentials::Token ClientCredentials::fetch() {
  const int max_attempts = std::max(1, retry_.max_attempts);
  for (int attempt = 1;; ++attempt) {
    const auto started = clock_.now();
    std::string failure;  // why this attempt failed, when it is retried
    idsync_error_kind kind = IDSYNC_ERR_CONNECTION;
    std::optional<milliseconds> wait;
    try {
      const http::HttpResponse response = transport_.send(token_request());
      if (response.status == 200) {
        boost::json::error_code ec;
        const boost::json::value body = boost::json::parse(response.body, ec);
        const auto* o = !ec && body.is_object() ? &body.get_object() : nullptr;
        const auto* token = o ? o->if_contains("access_token") : nullptr;
        if (token && token->is_string() && !token->get_string().empty()) {
          const seconds lifetime = expires_in(*o).value_or(kAssumedLifetime);
          return Token{std::string(token->get_string()),
                       started + lifetime - token_refresh_margin(lifetime)};
        }
        failure = "the answer held no access token";
      } else {
        const TokenEndpointError error = parse_token_error(response);
        const std::string what =
            (error.error.empty() ? "HTTP " + std::to_string(response.status) : error.error) +
            (error.description.empty() ? "" : ": " + error.description);
        switch (classify_token_failure(response.status, error)) {
          case TokenFailure::kPermission:
            throw sdk::Error(IDSYNC_ERR_PERMISSION,
                             redact(host_ + " refused the client credentials of " +
                                    settings_.client_id + ": " + what),
                             IDSYNC_ERROR);
          case TokenFailure::kConfig:
            throw sdk::Error(IDSYNC_ERR_CONFIG,
                             redact(host_ + " rejected the token request of " +
                                    settings_.client_id + ": " + what),
                             IDSYNC_ERROR);
          case TokenFailure::kRetry:
            break;
        }
        failure = what;
        if (response.status == 504) kind = IDSYNC_ERR_TIMEOUT;
        if (const auto value = response.header("Retry-After"))
          wait = http::parse_retry_after(*value, clock_.wall_now());
      }
    } catch (const sdk::Error& e) {
      if (e.status() != IDSYNC_RETRY || e.kind() == IDSYNC_ERR_CONFIG ||
          e.kind() == IDSYNC_ERR_PERMISSION)
        throw;
      // A transport failure; its message already names the host.
      failure = redact(e.what());
      kind = e.kind();
    }
    if (wait && *wait > retry_.max_retry_after)
      throw sdk::Error(IDSYNC_ERR_CONNECTION,
                       host_ + " asks to wait " + seconds_text(*wait) +
                           " before the next token request, longer than the limit of " +
                           seconds_text(retry_.max_retry_after),
                       IDSYNC_RETRY);
    if (attempt >= max_attempts)
      throw sdk::Error(kind,
                       "no access token from " + host_ + " for " + settings_.client_id + " after " +
                           std::to_string(attempt) + " attempts: " + failure,
                       IDSYNC_RETRY);
    clock_.sleep_for(wait.value_or(http::backoff_delay(retry_, attempt, jitter_seed_++)));
  }
}

}  // namespace idsync::msgraph
