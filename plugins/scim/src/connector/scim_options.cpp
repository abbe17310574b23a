#include "connector/scim_options.hpp"

#include <algorithm>

#include "http/http_config.hpp"

namespace idsync::scim {

namespace {

sdk::Error config_error(const std::string& message) {
  return sdk::Error(IDSYNC_ERR_CONFIG, message, IDSYNC_ERROR);
}

}  // namespace

std::vector<sdk::FieldSpec> config_fields() {
  std::vector<sdk::FieldSpec> fields = {
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
      {"page_size", IDSYNC_CONFIG_INTEGER, 0, "500",
       "resources per page of a read (also capped by the service's filter maxResults)", 1, 10000},
      {"object_types", IDSYNC_CONFIG_STRING_LIST, 0, "[]",
       "resource types to read and write, by name (User, Group, Contact); empty: every type "
       "the service offers"},
      {"delta_overlap_seconds", IDSYNC_CONFIG_INTEGER, 0, "60",
       "a delta import reads resources changed since this long before the watermark, against "
       "clock differences inside the service",
       0, 86400},
      {"use_bulk", IDSYNC_CONFIG_BOOLEAN, 0, "true",
       "send writes in /Bulk requests when the service offers bulk"},
      {"use_etags", IDSYNC_CONFIG_BOOLEAN, 0, "true",
       "send If-Match with the resource's version when the service supports ETags"},
      {"match_existing", IDSYNC_CONFIG_BOOLEAN, 0, "true",
       "before creating a resource, take over one with the same userName (users), displayName "
       "(groups) or externalId"},
  };
  for (sdk::FieldSpec& field : http::http_config_fields()) fields.push_back(field);
  return fields;
}

Options read_options(const sdk::Config& config, const sdk::CreateContext& ctx) {
  Options o;
  o.connector_name = ctx.connector_name;
  o.base_url = http::https_url("base_url", config.string("base_url"));
  o.token = config.string("token");
  if (config.is_set("token_url")) {
    o.oauth.token_url = http::https_url("token_url", config.string("token_url"));
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

  const http::HttpConfig h = http::read_http_config(config, "idsync-scim/0.1");
  o.http = h.http;
  o.retry = h.retry;
  o.writes_per_interval = h.writes_per_interval;
  o.write_interval_seconds = h.write_interval_seconds;

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
  o.use_bulk = config.boolean("use_bulk", true);
  o.use_etags = config.boolean("use_etags", true);
  o.match_existing = config.boolean("match_existing", true);
  return o;
}

}  // namespace idsync::scim
