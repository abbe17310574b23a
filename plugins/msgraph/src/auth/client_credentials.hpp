// OAuth 2.0 client credentials grant (RFC 6749, section 4.4) against the Microsoft identity
// platform: POST {authority}/{tenant}/oauth2/v2.0/token with scope {graph resource}/.default,
// authenticated by a client secret or by a certificate (a signed client assertion, RFC 7523).
//
// The token is cached until shortly before it expires: expires_in minus 5 minutes, or minus a
// tenth of the lifetime when the lifetime is under 10 minutes. Thread-safe: concurrent callers
// share one fetch.
//
// Failures (all sdk::Error; messages name the host and client id, never the secret, the key,
// the assertion or a token):
//   invalid_client / unauthorized_client (and other 401/403 answers) -> IDSYNC_ERR_PERMISSION,
//     "<host> refused the client credentials of <client_id>: <error>: <first line of
//     error_description>", IDSYNC_ERROR;
//   invalid_request / invalid_scope / unknown tenant (and other 4xx) -> IDSYNC_ERR_CONFIG,
//     "<host> rejected the token request of <client_id>: ...", IDSYNC_ERROR;
//   429 / 5xx / transport failures -> retried per the RetryPolicy (Retry-After honoured), then
//     IDSYNC_ERR_CONNECTION or IDSYNC_ERR_TIMEOUT with IDSYNC_RETRY.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

#include "auth/jwt_assertion.hpp"
#include "auth/token_provider.hpp"
#include "http/clock.hpp"
#include "http/http_transport.hpp"
#include "http/retry_policy.hpp"

namespace idsync::msgraph {

struct ClientCredentialsSettings {
  std::string authority;        // "https://login.microsoftonline.com" (no trailing slash)
  std::string tenant;           // tenant id or verified domain
  std::string client_id;        // application (client) id
  std::string client_secret;    // either this ...
  std::string certificate_pem;  // ... or certificate (PEM, may also hold the key) and
  std::string private_key_pem;  //     private key (PEM; empty: taken from certificate_pem)
  std::string scope;            // "https://graph.microsoft.com/.default"
};

// How long before expiry a token of `lifetime` is replaced (see the header comment).
std::chrono::seconds token_refresh_margin(std::chrono::seconds lifetime);

class ClientCredentials : public TokenProvider {
 public:
  // Validates the settings and parses the certificate now, so that configuration mistakes show
  // up before the first request: throws sdk::Error(IDSYNC_ERR_CONFIG) when a required field is
  // empty, when both or neither of secret and certificate are given, or on a bad certificate.
  // `transport` and `clock` must outlive this object.
  ClientCredentials(http::HttpTransport& transport, http::Clock& clock,
                    ClientCredentialsSettings settings, http::RetryPolicy retry = {});

  std::string access_token() override;
  void invalidate() override;

  // "{authority}/{tenant}/oauth2/v2.0/token", also the "aud" of client assertions.
  const std::string& token_endpoint() const { return token_endpoint_; }
  // The certificate in use, when authenticating by certificate.
  const std::optional<SigningCertificate>& certificate() const { return certificate_; }

 private:
  struct Token {
    std::string value;
    std::chrono::steady_clock::time_point refresh_at;
  };
  Token fetch();
  http::HttpRequest token_request();
  // `message` with every credential this object holds replaced by "***".
  std::string redact(std::string message) const;

  http::HttpTransport& transport_;
  http::Clock& clock_;
  const ClientCredentialsSettings settings_;
  const http::RetryPolicy retry_;
  std::string token_endpoint_;
  std::string host_;
  std::optional<SigningCertificate> certificate_;
  uint64_t jitter_seed_;

  std::mutex mutex_;
  std::optional<Token> token_;
};

}  // namespace idsync::msgraph
