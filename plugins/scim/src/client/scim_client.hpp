// The SCIM request layer: authenticated JSON requests against one service provider's base
// URL, with the retries and write pacing of the shared HTTP library (http/retrying_send.hpp:
// a 401 is tried once more when BearerToken::invalidate() says the token can change; 429, 503,
// other 5xx and transport failures wait and try again; giving up names the method, host and
// path and the SCIM error of the last answer). Every other status is returned, so the caller
// can read the SCIM error. Everything below it (token, transport, clock, pacer) is injected.
//
// Not thread-safe: one client per connector instance.
#pragma once

#include <boost/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "client/bearer_token.hpp"
#include "http/clock.hpp"
#include "http/http_transport.hpp"
#include "http/retry_policy.hpp"
#include "http/retrying_send.hpp"
#include "http/write_pacer.hpp"

namespace idsync::scim {

struct ScimClientSettings {
  std::string base_url;  // "https://scim.example.com/scim/v2" (trailing slashes are dropped)
  http::RetryPolicy retry;
};

class ScimClient {
 public:
  using Headers = std::vector<std::pair<std::string, std::string>>;

  // Throws sdk::Error(IDSYNC_ERR_CONFIG) when base_url is not an absolute URL. The injected
  // objects must outlive the client.
  ScimClient(http::HttpTransport& transport, BearerToken& token, http::WritePacer& pacer,
             http::Clock& clock, ScimClientSettings settings);

  // `path`: relative to base_url ("/Users?count=10"), or an absolute URL on base_url's origin
  // (a Location header); another origin is refused with IDSYNC_ERR_CONFIG, since it would
  // receive the token. Sends Authorization and Accept: application/scim+json; a body goes as
  // Content-Type: application/scim+json. Writes (every method but GET) acquire the pacer.
  // `pace_units`: writes the request stands for in the pacer (a Bulk request: its operations).
  http::HttpResponse send(std::string_view method, std::string_view path,
                          const boost::json::value* body = nullptr,
                          const Headers& extra_headers = {}, int pace_units = 1);
  http::HttpResponse get(std::string_view path) { return send("GET", path); }

  const std::string& base_url() const { return base_url_; }
  const http::RetryCounters& counters() const { return counters_; }
  // The path of a resource's URL relative to base_url ("/Users/2819c223"), for a Location.
  std::string relative_path(std::string_view url) const;

 private:
  std::string resolve(std::string_view path) const;

  http::HttpTransport& transport_;
  BearerToken& token_;
  http::WritePacer& pacer_;
  http::Clock& clock_;
  ScimClientSettings settings_;
  std::string base_url_;
  std::string origin_;
  uint64_t jitter_seed_;
  http::RetryCounters counters_;
};

}  // namespace idsync::scim
