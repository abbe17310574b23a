#include "http/http_config.hpp"

namespace idsync::http {

std::vector<sdk::FieldSpec> http_config_fields() {
  return {
      {"ca_file", IDSYNC_CONFIG_PATH, 0, nullptr,
       "PEM file of the CA certificates that may sign the servers' certificates (default: the "
       "system's)"},
      {"ca_dir", IDSYNC_CONFIG_PATH, 0, nullptr, "folder of hashed CA certificates (c_rehash)"},
      {"tls_verify", IDSYNC_CONFIG_BOOLEAN, 0, "true",
       "verify the servers' certificates and names; false is for tests only and is logged at "
       "every step"},
      {"proxy", IDSYNC_CONFIG_STRING, 0, nullptr,
       "HTTPS proxy URL (default: the https_proxy and no_proxy environment variables)"},
      {"no_proxy", IDSYNC_CONFIG_STRING, 0, nullptr,
       "comma-separated hosts reached without the proxy ('*': never use a proxy)"},
      {"timeout_seconds", IDSYNC_CONFIG_INTEGER, 0, "120",
       "seconds one request may take before it counts as failed (and is retried)", 1, 3600},
      {"connect_timeout_seconds", IDSYNC_CONFIG_INTEGER, 0, "15",
       "seconds to wait for a connection", 1, 600},
      {"max_attempts", IDSYNC_CONFIG_INTEGER, 0, "6",
       "tries of one request through throttling (429, 503), server errors and lost connections "
       "before the step stops with a retryable status",
       1, 50},
      {"max_backoff_seconds", IDSYNC_CONFIG_INTEGER, 0, "30",
       "longest wait between tries after a server error (waits grow exponentially up to it)", 1,
       600},
      {"max_retry_after_seconds", IDSYNC_CONFIG_INTEGER, 0, "300",
       "a Retry-After longer than this stops the step instead of waiting", 1, 3600},
      {"writes_per_interval", IDSYNC_CONFIG_INTEGER, 0, "0",
       "at most this many writes start in any write_interval_seconds (0: no pace of our own; "
       "throttled writes still wait for the service's Retry-After)",
       0, 1000000},
      {"write_interval_seconds", IDSYNC_CONFIG_INTEGER, 0, "1", "the window of writes_per_interval",
       1, 3600},
  };
}

HttpConfig read_http_config(const sdk::Config& config, std::string user_agent) {
  HttpConfig c;
  c.http.user_agent = std::move(user_agent);
  c.http.ca_file = config.string("ca_file");
  c.http.ca_dir = config.string("ca_dir");
  c.http.tls_verify = config.boolean("tls_verify", true);
  c.http.proxy = config.string("proxy");
  c.http.no_proxy = config.string("no_proxy");
  c.http.timeout_ms = config.integer("timeout_seconds", 120) * 1000;
  c.http.connect_timeout_ms = config.integer("connect_timeout_seconds", 15) * 1000;
  c.retry.max_attempts = static_cast<int>(config.integer("max_attempts", 6));
  c.retry.max_backoff = std::chrono::seconds(config.integer("max_backoff_seconds", 30));
  c.retry.max_retry_after = std::chrono::seconds(config.integer("max_retry_after_seconds", 300));
  c.writes_per_interval = static_cast<int>(config.integer("writes_per_interval", 0));
  c.write_interval_seconds = static_cast<int>(config.integer("write_interval_seconds", 1));
  return c;
}

std::string https_url(const std::string& field, std::string url) {
  if (url.rfind("https://", 0) != 0)
    throw sdk::Error(IDSYNC_ERR_CONFIG,
                     "config." + field + ": \"" + url + "\" is not an https:// URL", IDSYNC_ERROR);
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

}  // namespace idsync::http
