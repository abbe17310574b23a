#include "connector/scim_options.hpp"

#include <algorithm>

namespace idsync::scim {

namespace {

sdk::Error config_error(const std::string& message) {
  return sdk::Error(IDSYNC_ERR_CONFIG, message, IDSYNC_ERROR);
}

// Only https: the bearer token and every directory object travel over it.
std::string https_url(const std::string& field, std::string url) {
  if (url.rfind("https://", 0) != 0)
    throw config_error("config." + field + ": \"" + url + "\" is not an https:// URL");
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

}  // namespace

std::vector<sdk::FieldSpec> config_fields() {
  return {
      {"base_url", IDSYNC_CONFIG_STRING, IDSYNC_CONFIG_REQUIRED, nullptr,
       "the service provider's SCIM 2.0 base URL, https (e.g. https://scim.example.com/scim/v2)"},
      {"token", IDSYNC_CONFIG_STRING, IDSYNC_CONFIG_SECRET, nullptr,
       "bearer token, from {\"env\": NAME} or {\"file\": PATH}; or use token_url with "
       "client_id and client_secret"},
      {"token_url", IDSYNC_CONFIG_STRING, 0, nullptr,
       "OAuth 2.0 token endpoint (client credentials grant), https"},
      {"client_id", IDSYNC_CONFIG_STRING, 0, nullptr, "OAuth 2.0 client id, with token_url"},
      {"client_secret", IDSYNC_CONFIG_STRING, IDSYNC_CONFIG_SECRET, nullptr,
       "OAuth 2.0 client secret, from {\"env\": NAME} or {\"file\": PATH}"},
      {"scope", IDSYNC_CONFIG_STRING, 0, nullptr, "OAuth 2.0 scope to ask for (optional)"},
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
       "tries of one request through throttling (429, 503), server errors and lost connections", 1,
       50},
      {"max_backoff_seconds", IDSYNC_CONFIG_INTEGER, 0, "30",
       "longest wait between tries after a server error", 1, 600},
      {"max_retry_after_seconds", IDSYNC_CONFIG_INTEGER, 0, "300",
       "a Retry-After longer than this stops the step instead of waiting", 1, 3600},
      {"page_size", IDSYNC_CONFIG_INTEGER, 0, "500",
       "resources per page of a read (also capped by the service's filter maxResults)", 1, 10000},
      {"object_types", IDSYNC_CONFIG_STRING_LIST, 0, "[]",
       "resource types to read and write, by name (User, Group, Contact); empty: every type "
       "the service offers"},
      {"delta_overlap_seconds", IDSYNC_CONFIG_INTEGER, 0, "60",
       "a delta import reads resources changed since this long before the watermark, against "
       "clock differences inside the service",
       0, 86400},
      {"writes_per_interval", IDSYNC_CONFIG_INTEGER, 0, "0",
       "at most this many write requests start in any write_interval_seconds (0: no pace of "
       "our own)",
       0, 1000000},
      {"write_interval_seconds", IDSYNC_CONFIG_INTEGER, 0, "1", "the window of writes_per_interval",
       1, 3600},
      {"use_bulk", IDSYNC_CONFIG_BOOLEAN, 0, "true",
       "send writes in /Bulk requests when the service offers bulk"},
      {"use_etags", IDSYNC_CONFIG_BOOLEAN, 0, "true",
       "send If-Match with the resource's version when the service supports ETags"},
      {"match_existing", IDSYNC_CONFIG_BOOLEAN, 0, "true",
       "before creating a resource, take over one with the same userName (users), displayName "
       "(groups) or externalId"},
  };
}

Options read_options(const sdk::Config& config, const sdk::CreateContext& ctx) {
  Options o;
  o.connector_name = ctx.connector_name;
  o.base_url = https_url("base_url", config.string("base_url"));
  o.token = config.string("token");
  if (config.is_set("token_url")) {
    o.oauth.token_url = https_url("token_url", config.string("token_url"));
    o.oauth.client_id = config.string("client_id");
    o.oauth.client_secret = config.string("client_secret");
    o.oauth.scope = config.string("scope");
    if (o.oauth.client_id.empty()) throw config_error("config.client_id: needed with token_url");
    if (o.oauth.client_secret.empty())
      throw config_error("config.client_secret: needed with token_url");
  } else if (config.is_set("client_id") || config.is_set("client_secret")) {
    throw config_error("config.token_url: client_id and client_secret need the token endpoint");
  }
  if (o.token.empty() == o.oauth.token_url.empty())
    throw config_error(
        "config: give exactly one credential, token or token_url with client_id and "
        "client_secret");

  o.http.user_agent = "idsync-scim/0.1";
  o.http.ca_file = config.string("ca_file");
  o.http.ca_dir = config.string("ca_dir");
  o.http.tls_verify = config.boolean("tls_verify", true);
  o.http.proxy = config.string("proxy");
  o.http.no_proxy = config.string("no_proxy");
  o.http.timeout_ms = config.integer("timeout_seconds", 120) * 1000;
  o.http.connect_timeout_ms = config.integer("connect_timeout_seconds", 15) * 1000;

  o.retry.max_attempts = static_cast<int>(config.integer("max_attempts", 6));
  o.retry.max_backoff = std::chrono::seconds(config.integer("max_backoff_seconds", 30));
  o.retry.max_retry_after = std::chrono::seconds(config.integer("max_retry_after_seconds", 300));

  o.page_size = static_cast<uint32_t>(config.integer("page_size", 500));
  o.object_types = config.list("object_types");
  if (!ctx.object_types.empty()) {
    // The manifest's object_types narrow what the connector reads and writes.
    if (o.object_types.empty()) {
      o.object_types = ctx.object_types;
    } else {
      std::vector<std::string> narrowed;
      for (const std::string& type : o.object_types)
        if (std::find(ctx.object_types.begin(), ctx.object_types.end(), type) !=
            ctx.object_types.end())
          narrowed.push_back(type);
      o.object_types = narrowed;
    }
  }
  o.delta_overlap_seconds = static_cast<int>(config.integer("delta_overlap_seconds", 60));
  o.writes_per_interval = static_cast<int>(config.integer("writes_per_interval", 0));
  o.write_interval_seconds = static_cast<int>(config.integer("write_interval_seconds", 1));
  o.use_bulk = config.boolean("use_bulk", true);
  o.use_etags = config.boolean("use_etags", true);
  o.match_existing = config.boolean("match_existing", true);
  return o;
}

}  // namespace idsync::scim
