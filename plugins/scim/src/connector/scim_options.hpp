// The SCIM connector's configuration: the fields the connector type declares (the host
// validates a manifest's `config` against them) and the parsed options.
#pragma once

#include <idsync/sdk.hpp>
#include <string>
#include <vector>

#include "client/oauth_token.hpp"
#include "http/http_settings.hpp"
#include "http/retry_policy.hpp"

namespace idsync::scim {

struct Options {
  std::string connector_name;
  std::string base_url;  // https, no trailing slash
  std::string token;     // a configured bearer token, or ...
  OAuthSettings oauth;   // ... client credentials (token_url set)

  http::HttpSettings http;
  http::RetryPolicy retry;

  uint32_t page_size = 500;
  std::vector<std::string> object_types;  // resource type names; empty: every one offered
  int delta_overlap_seconds = 60;

  int writes_per_interval = 0;
  int write_interval_seconds = 1;
  bool use_bulk = true;
  bool use_etags = true;
  bool match_existing = true;

  bool uses_oauth() const { return !oauth.token_url.empty(); }
};

std::vector<sdk::FieldSpec> config_fields();

// Throws sdk::Error(IDSYNC_ERR_CONFIG) naming the field for what the host cannot judge alone
// (a URL that is not https, both or neither credential).
Options read_options(const sdk::Config& config, const sdk::CreateContext& ctx);

}  // namespace idsync::scim
