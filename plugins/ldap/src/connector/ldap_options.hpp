// The LDAP connector's configuration: the fields both connector types declare (the host validates
// a manifest's `config` against them) and the parsed options the connection and the imports use.
#pragma once

#include <idsync/sdk.hpp>
#include <string>
#include <vector>

namespace idsync::ldap {

// Which directory the connector talks to. The protocol is the same; the delta mechanism, the
// anchor attribute, passwords and account state differ.
enum class DirectoryKind { active_directory, generic };

// How an Active Directory delta import finds changes.
enum class AdDeltaMode {
  dirsync,  // the DirSync control: changed attributes and linked values only
  usn,      // uSNChanged above the last highestCommittedUSN, tombstones by Show Deleted
};

struct Options {
  DirectoryKind kind = DirectoryKind::generic;
  std::string connector_name;

  // Connection.
  std::string url;  // one or more space-separated ldap:// or ldaps:// URLs, tried in order
  bool start_tls = false;
  std::string ca_file;
  std::string ca_dir;
  bool tls_verify = true;
  bool allow_plaintext_bind = false;
  std::string bind_dn;  // empty: anonymous
  std::string bind_password;
  int timeout_seconds = 120;

  // Reads.
  uint32_t page_size = 500;             // at most 1000 (AD's MaxPageSize)
  std::vector<std::string> partitions;  // empty: the server's default naming context
  std::vector<std::string> include_containers;
  std::vector<std::string> exclude_containers;
  std::vector<std::string> object_classes;  // the object types: structural classes
  std::vector<std::string> attributes;      // empty: every attribute of the classes
  uint64_t max_value_bytes = 4 << 20;       // a larger value stops the import (0: no limit)

  // Active Directory.
  bool object_security = false;
  AdDeltaMode delta_mode = AdDeltaMode::dirsync;
  bool write_consistency_guid = true;
  uint32_t range_size = 0;  // values per ranged read of a multi-valued reference (0: the DC's)

  bool active_directory() const { return kind == DirectoryKind::active_directory; }
  // The attribute the anchor comes from: objectGUID (AD) or entryUUID.
  const char* anchor_attribute() const { return active_directory() ? "objectGUID" : "entryUUID"; }
};

// The configuration fields of a connector type, for its ConnectorSpec.
std::vector<sdk::FieldSpec> config_fields(DirectoryKind kind);

// Reads validated configuration. Throws sdk::Error(IDSYNC_ERR_CONFIG) naming the field for a
// value the host's validation cannot judge alone (a URL scheme, a plain-text bind).
Options read_options(DirectoryKind kind, const sdk::Config& config, const sdk::CreateContext& ctx);

}  // namespace idsync::ldap
