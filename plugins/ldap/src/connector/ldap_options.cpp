#include "ldap_options.hpp"

#include <sstream>

namespace idsync::ldap {

namespace {

const char* const kDeltaModes[] = {"dirsync", "usn", nullptr};

bool starts_with_ci(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  return true;
}

std::vector<std::string> split_urls(const std::string& text) {
  std::vector<std::string> urls;
  std::istringstream in(text);
  for (std::string url; in >> url;) urls.push_back(url);
  return urls;
}

}  // namespace

std::vector<sdk::FieldSpec> config_fields(DirectoryKind kind) {
  const bool ad = kind == DirectoryKind::active_directory;
  std::vector<sdk::FieldSpec> fields = {
      {"url", IDSYNC_CONFIG_STRING, IDSYNC_CONFIG_REQUIRED, nullptr,
       "ldaps://host[:port] or ldap://host[:port]; several, separated by spaces, are tried in "
       "order"},
      {"start_tls", IDSYNC_CONFIG_BOOLEAN, 0, "false",
       "upgrade an ldap:// connection with StartTLS before binding"},
      {"ca_file", IDSYNC_CONFIG_PATH, 0, nullptr,
       "PEM file of the CA certificates that may sign the server's certificate (default: the "
       "system's)"},
      {"ca_dir", IDSYNC_CONFIG_PATH, 0, nullptr,
       "folder of hashed CA certificates (c_rehash) that may sign the server's certificate"},
      {"tls_verify", IDSYNC_CONFIG_BOOLEAN, 0, "true",
       "verify the server's certificate and name; false is for tests only and is logged at "
       "every connection"},
      {"allow_plaintext_bind", IDSYNC_CONFIG_BOOLEAN, 0, "false",
       "allow a simple bind with a password over a connection that is not encrypted"},
      {"bind_dn", IDSYNC_CONFIG_STRING, 0, nullptr,
       ad ? "account to bind as: a DN or user@domain (empty: anonymous)"
          : "DN to bind as (empty: anonymous)"},
      {"bind_password", IDSYNC_CONFIG_STRING, IDSYNC_CONFIG_SECRET, nullptr,
       "password of bind_dn, from {\"env\": NAME} or {\"file\": PATH}"},
      {"timeout_seconds", IDSYNC_CONFIG_INTEGER, 0, "120",
       "seconds to wait for a connection or an answer before the step stops", 1, 3600},
      {"page_size", IDSYNC_CONFIG_INTEGER, 0, "500",
       "entries per page of a paged search (at most 1000, Active Directory's MaxPageSize)", 1,
       1000},
      {"partitions", IDSYNC_CONFIG_STRING_LIST, 0, "[]",
       "naming contexts to read (empty: the server's default naming context)"},
      {"include_containers", IDSYNC_CONFIG_STRING_LIST, 0, "[]",
       "only objects within these container DNs are in scope (empty: the whole partition)"},
      {"exclude_containers", IDSYNC_CONFIG_STRING_LIST, 0, "[]",
       "objects within these container DNs are out of scope (the deepest listed container "
       "decides)"},
      {"attributes", IDSYNC_CONFIG_STRING_LIST, 0, "[]",
       "attributes to import (empty: every attribute the object classes allow)"},
      {"max_value_bytes", IDSYNC_CONFIG_INTEGER, 0, "4194304",
       "largest attribute value an import accepts; a larger one stops the import with a data "
       "error naming the object and attribute (0: no limit)",
       0, int64_t(1) << 32},
  };
  if (ad) {
    fields.push_back({"object_security", IDSYNC_CONFIG_BOOLEAN, 0, "false",
                      "DirSync with the object-security flag, for an account without the "
                      "Replicating Directory Changes right: it sees what it may read"});
    fields.push_back({"delta_mode", IDSYNC_CONFIG_STRING, 0, "\"dirsync\"",
                      "how a delta import finds changes: dirsync, or usn (uSNChanged and "
                      "tombstones, for DCs or accounts where DirSync is not available)",
                      0, 0, kDeltaModes});
    fields.push_back({"range_size", IDSYNC_CONFIG_INTEGER, 0, "0",
                      "values of a multi-valued reference (member) asked for per read; the rest "
                      "is read in further ranges (0: as many as the DC gives, its MaxValRange)",
                      0, 100000});
    fields.push_back({"write_consistency_guid", IDSYNC_CONFIG_BOOLEAN, 0, "true",
                      "after exporting a user or group, set its mS-DS-ConsistencyGuid to its "
                      "objectGUID when empty, so that it can serve as the source anchor"});
  }
  return fields;
}

Options read_options(DirectoryKind kind, const sdk::Config& config, const sdk::CreateContext& ctx) {
  Options o;
  o.kind = kind;
  o.connector_name = ctx.connector_name;
  o.url = config.string("url");
  const auto urls = split_urls(o.url);
  if (urls.empty()) throw sdk::Error(IDSYNC_ERR_CONFIG, "config.url: no URL given");
  for (const auto& url : urls)
    if (!starts_with_ci(url, "ldap://") && !starts_with_ci(url, "ldaps://"))
      throw sdk::Error(IDSYNC_ERR_CONFIG,
                       "config.url: \"" + url + "\" is not an ldap:// or ldaps:// URL");
  o.start_tls = config.boolean("start_tls");
  o.ca_file = config.string("ca_file");
  o.ca_dir = config.string("ca_dir");
  o.tls_verify = config.boolean("tls_verify", true);
  o.allow_plaintext_bind = config.boolean("allow_plaintext_bind");
  o.bind_dn = config.string("bind_dn");
  o.bind_password = config.string("bind_password");
  if (!o.bind_dn.empty() && o.bind_password.empty())
    throw sdk::Error(IDSYNC_ERR_CONFIG,
                     "config.bind_password: bind_dn is set but no password is given");
  o.timeout_seconds = static_cast<int>(config.integer("timeout_seconds", 120));
  o.page_size = static_cast<uint32_t>(config.integer("page_size", 500));
  o.partitions = config.list("partitions");
  o.include_containers = config.list("include_containers");
  o.exclude_containers = config.list("exclude_containers");
  o.attributes = config.list("attributes");
  o.max_value_bytes = static_cast<uint64_t>(config.integer("max_value_bytes", 4 << 20));
  o.object_classes = ctx.object_types;
  if (o.object_classes.empty())
    o.object_classes = kind == DirectoryKind::active_directory
                           ? std::vector<std::string>{"user", "group", "contact"}
                           : std::vector<std::string>{"inetOrgPerson", "groupOfNames"};
  if (kind == DirectoryKind::active_directory) {
    o.object_security = config.boolean("object_security");
    o.delta_mode =
        config.string("delta_mode", "dirsync") == "usn" ? AdDeltaMode::usn : AdDeltaMode::dirsync;
    o.write_consistency_guid = config.boolean("write_consistency_guid", true);
    o.range_size = static_cast<uint32_t>(config.integer("range_size", 0));
  }
  return o;
}

}  // namespace idsync::ldap
