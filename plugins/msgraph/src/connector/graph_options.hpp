// The Microsoft Graph connector's configuration: the fields the connector type declares (the
// host validates a manifest's `config` against them) and the parsed options the client, the
// imports and the exports use.
#pragma once

#include <idsync/sdk.hpp>
#include <string>
#include <vector>

#include "http/http_settings.hpp"
#include "http/retry_policy.hpp"

namespace idsync::msgraph {

struct Options {
  std::string connector_name;

  // Where: a national cloud's hosts, or explicit URLs (which win).
  std::string authority;   // "https://login.microsoftonline.com", no trailing slash
  std::string graph_base;  // "https://graph.microsoft.com/v1.0", no trailing slash
  std::string scope;       // "https://graph.microsoft.com/.default"

  // Who: an app registration with application permissions (User.ReadWrite.All,
  // Group.ReadWrite.All or GroupMember.ReadWrite.All).
  std::string tenant;
  std::string client_id;
  std::string client_secret;    // either this ...
  std::string certificate_pem;  // ... or a certificate and its private key
  std::string private_key_pem;

  http::HttpSettings http;
  http::RetryPolicy retry;

  // Reads.
  uint32_t page_size = 999;  // objects per page of a list or delta read (Graph: 1..999)
  std::vector<std::string> object_types = {"user", "group"};
  std::vector<std::string> user_attributes;   // extra user properties to read, beyond the schema's
  std::vector<std::string> group_attributes;  // extra group properties

  // Writes.
  int writes_per_interval = 0;  // 0: no pace of our own; 429s still slow the export
  int write_interval_seconds = 1;
  bool force_password_change = false;  // passwordProfile.forceChangePasswordNextSignIn on create

  // Matching a new object with a cloud object that already exists, before creating one.
  bool hard_match = true;       // onPremisesImmutableId equal
  bool soft_match_upn = true;   // userPrincipalName equal, the cloud object not synced yet
  bool soft_match_smtp = true;  // primary SMTP address (mail) among its proxyAddresses

  bool wants(std::string_view object_type) const;
};

// The configuration fields of the connector type, for its ConnectorSpec.
std::vector<sdk::FieldSpec> config_fields();

// Reads validated configuration. Throws sdk::Error(IDSYNC_ERR_CONFIG) naming the field for a
// value the host's validation cannot judge alone (a cloud name, both or neither credential, a
// URL that is not https).
Options read_options(const sdk::Config& config, const sdk::CreateContext& ctx);

}  // namespace idsync::msgraph
