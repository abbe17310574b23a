// The configuration fields every in-tree connector of a web service declares alike (TLS,
// proxy, timeouts, retries, write pace), and their reading, so that an admin finds the same
// names, defaults and meanings on each of them.
#pragma once

#include <idsync/sdk.hpp>
#include <string>
#include <vector>

#include "http/http_settings.hpp"
#include "http/retry_policy.hpp"

namespace idsync::http {

struct HttpConfig {
  HttpSettings http;
  RetryPolicy retry;
  int writes_per_interval = 0;  // 0: no pace of the connector's own
  int write_interval_seconds = 1;
};

// ca_file, ca_dir, tls_verify, proxy, no_proxy, timeout_seconds, connect_timeout_seconds,
// max_attempts, max_backoff_seconds, max_retry_after_seconds, writes_per_interval and
// write_interval_seconds, to append to a connector type's own fields.
std::vector<sdk::FieldSpec> http_config_fields();

// Reads those fields of validated configuration; `user_agent` names the connector.
HttpConfig read_http_config(const sdk::Config& config, std::string user_agent);

// `url` without trailing slashes; throws sdk::Error(IDSYNC_ERR_CONFIG) naming config.`field`
// unless it is https: a token and directory data travel over it.
std::string https_url(const std::string& field, std::string url);

}  // namespace idsync::http
