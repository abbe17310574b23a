// Where the SCIM client gets the bearer token it sends: a token the admin configured, or one
// fetched with OAuth 2.0 client credentials. Implementations never put a token or a
// credential into an exception message.
#pragma once

#include <string>

namespace idsync::scim {

class BearerToken {
 public:
  virtual ~BearerToken() = default;
  // The token to send. Throws sdk::Error when none can be had.
  virtual std::string access_token() = 0;
  // After a 401. Returns true when the next access_token() may differ (a fetched token), so
  // that one more try is worth it; a configured token cannot change.
  virtual bool invalidate() = 0;
};

// A long-lived token from the configuration.
class StaticBearerToken : public BearerToken {
 public:
  explicit StaticBearerToken(std::string token) : token_(std::move(token)) {}
  std::string access_token() override { return token_; }
  bool invalidate() override { return false; }

 private:
  std::string token_;
};

}  // namespace idsync::scim
