#include "client/oauth_token.hpp"

#include <idsync/sdk.hpp>
#include <random>

#include "http/retry_after.hpp"
#include "http/url.hpp"
#include "model/json_access.hpp"

namespace idsync::scim {

namespace {

using std::chrono::seconds;

constexpr seconds kAssumedLifetime{300};

seconds refresh_margin(seconds lifetime) {
  return lifetime < std::chrono::minutes{10} ? lifetime / 10 : seconds{60};
}

std::string first_line(std::string text) {
  text = text.substr(0, text.find_first_of("\r\n"));
  return text.size() > 300 ? text.substr(0, 300) : text;
}

}  // namespace

OAuthToken::OAuthToken(http::HttpTransport& transport, http::Clock& clock, OAuthSettings settings,
                       http::RetryPolicy retry)
    : transport_(transport),
      clock_(clock),
      settings_(std::move(settings)),
      retry_(retry),
      jitter_seed_(std::random_device{}()) {
  host_ = http::url_host(settings_.token_url);
  if (host_.empty())
    throw sdk::Error(IDSYNC_ERR_CONFIG,
                     "config.token_url: \"" + settings_.token_url + "\" is not an absolute URL");
  if (settings_.client_id.empty() || settings_.client_secret.empty())
    throw sdk::Error(IDSYNC_ERR_CONFIG,
                     "config: token_url needs client_id and client_secret as well");
}

std::string OAuthToken::access_token() {
  if (token_ && clock_.now() < token_->refresh_at) return token_->value;
  token_.reset();
  token_ = fetch();
  return token_->value;
}

bool OAuthToken::invalidate() {
  token_.reset();
  return true;
}

OAuthToken::Token OAuthToken::fetch() {
  std::vector<std::pair<std::string, std::string>> form = {
      {"grant_type", "client_credentials"},
      {"client_id", settings_.client_id},
      {"client_secret", settings_.client_secret}};
  if (!settings_.scope.empty()) form.emplace_back("scope", settings_.scope);
  http::HttpRequest request;
  request.method = "POST";
  request.url = settings_.token_url;
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                     {"Accept", "application/json"}};
  request.body = http::form_encode(form);

  const int max_attempts = std::max(1, retry_.max_attempts);
  for (int attempt = 1;; ++attempt) {
    const auto started = clock_.now();
    std::string failure;
    std::optional<std::chrono::milliseconds> wait;
    try {
      const http::HttpResponse response = transport_.send(request);
      const auto body = parse_json(response.body);
      if (response.status == 200) {
        const auto token = body ? string_member(*body, "access_token") : std::nullopt;
        if (token && !token->empty()) {
          const auto lifetime = seconds(body ? int_member(*body, "expires_in").value_or(0) : 0);
          const seconds life = lifetime.count() > 0 ? lifetime : kAssumedLifetime;
          return Token{*token, started + life - refresh_margin(life)};
        }
        failure = "the answer held no access token";
      } else {
        const std::string error = body ? string_member(*body, "error").value_or("") : "";
        const std::string description =
            body ? first_line(string_member(*body, "error_description").value_or("")) : "";
        const std::string what =
            (error.empty() ? "HTTP " + std::to_string(response.status) : error) +
            (description.empty() ? "" : ": " + description);
        const bool retry = response.status == 429 || response.status >= 500;
        if (!retry) {
          const bool refused = response.status == 401 || response.status == 403 ||
                               error == "invalid_client" || error == "unauthorized_client";
          throw sdk::Error(refused ? IDSYNC_ERR_PERMISSION : IDSYNC_ERR_CONFIG,
                           host_ +
                               (refused ? " refused the client credentials of "
                                        : " rejected the token request of ") +
                               settings_.client_id + ": " + what);
        }
        failure = what;
        if (const auto value = response.header("Retry-After"))
          wait = http::parse_retry_after(*value, clock_.wall_now());
      }
    } catch (const sdk::Error& e) {
      if (e.status() != IDSYNC_RETRY) throw;
      failure = e.what();  // a transport failure: names the host, never the form
    }
    if (wait && *wait > retry_.max_retry_after)
      throw sdk::Error(IDSYNC_ERR_CONNECTION,
                       host_ +
                           " asks to wait longer than max_retry_after_seconds before the "
                           "next token request",
                       IDSYNC_RETRY);
    if (attempt >= max_attempts)
      throw sdk::Error(IDSYNC_ERR_CONNECTION,
                       "no access token from " + host_ + " for " + settings_.client_id + " after " +
                           std::to_string(attempt) + " attempts: " + failure,
                       IDSYNC_RETRY);
    clock_.sleep_for(wait.value_or(http::backoff_delay(retry_, attempt, jitter_seed_++)));
  }
}

}  // namespace idsync::scim
