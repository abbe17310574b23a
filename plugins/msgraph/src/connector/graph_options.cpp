#include "graph_options.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "graph/cloud.hpp"
#include "http/http_config.hpp"

namespace idsync::msgraph {

namespace {

const char* const kClouds[] = {"global", "usgov", "usgov-dod", "china", nullptr};

sdk::Error config_error(const std::string& message) {
  return sdk::Error(IDSYNC_ERR_CONFIG, message, IDSYNC_ERROR);
}

std::string read_text_file(const std::string& field, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw config_error("config." + field + ": cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

bool Options::wants(std::string_view object_type) const {
  return std::find(object_types.begin(), object_types.end(), object_type) != object_types.end();
}

std::vector<sdk::FieldSpec> config_fields() {
  std::vector<sdk::FieldSpec> fields = {
      {"tenant", IDSYNC_CONFIG_STRING, IDSYNC_CONFIG_REQUIRED, nullptr,
       "the directory (tenant) ID, or a verified domain of the tenant"},
      {"client_id", IDSYNC_CONFIG_STRING, IDSYNC_CONFIG_REQUIRED, nullptr,
       "the application (client) ID of the app registration the connector signs in as"},
      {"client_secret", IDSYNC_CONFIG_STRING, IDSYNC_CONFIG_SECRET, nullptr,
       "a client secret of the app, from {\"env\": NAME} or {\"file\": PATH}; or use "
       "certificate_file and private_key"},
      {"certificate_file", IDSYNC_CONFIG_PATH, 0, nullptr,
       "PEM certificate registered with the app: the connector signs a client assertion (RFC "
       "7523) with its private key instead of sending a secret"},
      {"private_key", IDSYNC_CONFIG_STRING, IDSYNC_CONFIG_SECRET, nullptr,
       "PEM private key of certificate_file, from {\"env\": NAME} or {\"file\": PATH} (default: "
       "read from certificate_file)"},
      {"cloud", IDSYNC_CONFIG_STRING, 0, "\"global\"",
       "national cloud whose sign-in and Graph hosts to use", 0, 0, kClouds},
      {"authority", IDSYNC_CONFIG_STRING, 0, nullptr,
       "sign-in host URL, overriding the cloud's (e.g. https://login.microsoftonline.com)"},
      {"graph", IDSYNC_CONFIG_STRING, 0, nullptr,
       "Microsoft Graph host URL, overriding the cloud's (e.g. https://graph.microsoft.com)"},
      {"page_size", IDSYNC_CONFIG_INTEGER, 0, "999",
       "objects per page of a read (Graph's limit: 999)", 1, 999},
      {"object_types", IDSYNC_CONFIG_STRING_LIST, 0, "[\"user\",\"group\"]",
       "which object types to read and write: user, group"},
      {"user_attributes", IDSYNC_CONFIG_STRING_LIST, 0, "[]",
       "further user properties to read and write, by their Graph names (e.g. "
       "employeeHireDate, faxNumber)"},
      {"group_attributes", IDSYNC_CONFIG_STRING_LIST, 0, "[]",
       "further group properties to read and write, by their Graph names"},
      {"force_password_change", IDSYNC_CONFIG_BOOLEAN, 0, "false",
       "a created user must change the password it was given at its first sign-in"},
      {"hard_match", IDSYNC_CONFIG_BOOLEAN, 0, "true",
       "before creating a user, take over a cloud user whose onPremisesImmutableId equals the "
       "new one's"},
      {"soft_match_upn", IDSYNC_CONFIG_BOOLEAN, 0, "true",
       "before creating a user, take over a cloud user with the same userPrincipalName that no "
       "on-premises object owns yet (a takeover risk: switch off once the first sync is done)"},
      {"soft_match_smtp", IDSYNC_CONFIG_BOOLEAN, 0, "true",
       "before creating a user, take over a cloud user that no on-premises object owns yet and "
       "whose proxyAddresses hold the new one's mail (a takeover risk, as soft_match_upn)"},
  };
  for (sdk::FieldSpec& field : http::http_config_fields()) fields.push_back(field);
  return fields;
}

Options read_options(const sdk::Config& config, const sdk::CreateContext& ctx) {
  Options o;
  o.connector_name = ctx.connector_name;
  o.tenant = config.string("tenant");
  o.client_id = config.string("client_id");
  o.client_secret = config.string("client_secret");
  if (config.is_set("certificate_file")) {
    o.certificate_pem = read_text_file("certificate_file", config.string("certificate_file"));
    o.private_key_pem = config.string("private_key");
  } else if (config.is_set("private_key")) {
    throw config_error("config.private_key: given without config.certificate_file");
  }
  if (o.client_secret.empty() == o.certificate_pem.empty())
    throw config_error(
        "config: give exactly one credential, client_secret or certificate_file (with "
        "private_key)");

  const std::string cloud = config.string("cloud", "global");
  const auto endpoints = cloud_endpoints(cloud);
  if (!endpoints) throw config_error("config.cloud: unknown cloud \"" + cloud + "\"");
  o.authority = config.is_set("authority")
                    ? http::https_url("authority", config.string("authority"))
                    : endpoints->authority;
  const std::string graph_host =
      config.is_set("graph") ? http::https_url("graph", config.string("graph")) : endpoints->graph;
  o.graph_base = graph_host + "/v1.0";
  o.scope = graph_host + "/.default";

  const http::HttpConfig h = http::read_http_config(config, "idsync-msgraph/0.1");
  o.http = h.http;
  o.retry = h.retry;
  o.writes_per_interval = h.writes_per_interval;
  o.write_interval_seconds = h.write_interval_seconds;

  o.page_size = static_cast<uint32_t>(config.integer("page_size", 999));
  if (config.is_set("object_types")) o.object_types = config.list("object_types");
  for (const std::string& type : o.object_types)
    if (type != "user" && type != "group")
      throw config_error("config.object_types: unknown object type \"" + type + "\" (user, group)");
  if (!ctx.object_types.empty()) {
    // The manifest's object_types narrow what the connector reads and writes.
    std::vector<std::string> narrowed;
    for (const std::string& type : o.object_types)
      if (std::find(ctx.object_types.begin(), ctx.object_types.end(), type) !=
          ctx.object_types.end())
        narrowed.push_back(type);
    o.object_types = narrowed;
  }
  o.user_attributes = config.list("user_attributes");
  o.group_attributes = config.list("group_attributes");

  o.force_password_change = config.boolean("force_password_change", false);
  o.hard_match = config.boolean("hard_match", true);
  o.soft_match_upn = config.boolean("soft_match_upn", true);
  o.soft_match_smtp = config.boolean("soft_match_smtp", true);
  return o;
}

}  // namespace idsync::msgraph
