// OAuth 2.0 client credentials grant (RFC 6749 section 4.4) against a token endpoint given
// whole: POST token_url with grant_type=client_credentials, client_id, client_secret and, when
// set, scope (the client authenticates in the form body, section 2.3.1).
//
// The token is cached until a minute before it expires (a tenth of its lifetime when that is
// shorter). Failures are sdk::Error, whose messages name the token host and the client id,
// never the secret or a token:
//   401/403, invalid_client, unauthorized_client -> IDSYNC_ERR_PERMISSION;
//   other 4xx (invalid_scope, invalid_request, ...) -> IDSYNC_ERR_CONFIG;
//   429, 5xx, transport failures -> retried per the RetryPolicy (Retry-After honoured), then
//   IDSYNC_ERR_CONNECTION with IDSYNC_RETRY.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "client/bearer_token.hpp"
#include "http/clock.hpp"
#include "http/http_transport.hpp"
#include "http/retry_policy.hpp"

namespace idsync::scim {

struct OAuthSettings {
  std::string token_url;  // https://login.example.com/oauth2/token
  std::string client_id;
  std::string client_secret;
  std::string scope;  // may be empty
};

class OAuthToken : public BearerToken {
 public:
  // Throws sdk::Error(IDSYNC_ERR_CONFIG) when the URL is not absolute or the client id or
  // secret is empty. `transport` and `clock` must outlive this object.
  OAuthToken(http::HttpTransport& transport, http::Clock& clock, OAuthSettings settings,
             http::RetryPolicy retry);

  std::string access_token() override;
  bool invalidate() override;

 private:
  struct Token {
    std::string value;
    std::chrono::steady_clock::time_point refresh_at;
  };
  Token fetch();

  http::HttpTransport& transport_;
  http::Clock& clock_;
  const OAuthSettings settings_;
  const http::RetryPolicy retry_;
  std::string host_;
  uint64_t jitter_seed_;
  std::optional<Token> token_;
};

}  // namespace idsync::scim
