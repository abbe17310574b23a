// What the connector learns of a server from its root DSE, once per connection: the naming
// contexts to read, where the schema is, which controls it supports, and for Active Directory
// the DC's identity (invocationId) and highest committed USN that the USN delta mode relies on.
#pragma once

#include <string>
#include <vector>

#include "connection.hpp"

namespace idsync::ldap {

struct DirectoryInfo {
  std::vector<std::string> naming_contexts;
  std::string default_naming_context;  // AD; for other servers the first naming context
  std::string subschema_dn;
  std::vector<std::string> supported_controls;
  std::string highest_committed_usn;  // AD only
  std::string ds_service_name;        // AD only: the DC's NTDS Settings object
  std::string schema_naming_context;  // AD only: where attributeSchema objects live

  bool supports(std::string_view control_oid) const;
};

// Reads the root DSE. Throws sdk::Error when the server has no naming context to read.
DirectoryInfo read_directory_info(Connection& connection);

// The partitions the connector reads: the configured ones (each must be one of the server's
// naming contexts: sdk::Error CONFIG otherwise), or the default naming context.
std::vector<std::string> partitions_to_read(const DirectoryInfo& info,
                                            const std::vector<std::string>& configured);

}  // namespace idsync::ldap
