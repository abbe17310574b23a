// The discovered schema of a file version, kept in the connector's state folder.
//
// Discovering an LDIF or JSON Lines schema reads the whole file (schema_discovery.hpp), and a
// change-file Delta import needs the main file's types. Kept in memory only, every new process
// (each `idsync sync-cycle start` without a daemon) would read the whole main file before
// importing a handful of changes. The cache file `state_dir/schema.cache` holds one schema with
// the file version (device, inode, size, mtime) and the configuration fingerprint it was
// discovered under; any difference, or a damaged cache, means discovering again.
//
// Format: "idsync-file-schema/1 <fingerprint hex> <dev> <ino> <size> <mtime>\n", then one
// entry per line: "a <type> <multivalued 0|1> <length> <name>" or "t <length> <name>". Names
// are length-prefixed, so any bytes are allowed in them.
#pragma once

#include <optional>
#include <string>

#include "file_identity.hpp"
#include "schema_discovery.hpp"

namespace idsync::file {

// The cached schema of `version`, when the cache holds exactly that version under
// `fingerprint`; nullopt otherwise (no cache, another version, damaged).
std::optional<DiscoveredSchema> load_schema_cache(const std::string& state_dir,
                                                  const FormatOptions& options,
                                                  uint64_t fingerprint,
                                                  const FileIdentity& version);

// Replaces the cache (atomically). Failing to write it costs only a later rediscovery, so
// errors are swallowed.
void save_schema_cache(const std::string& state_dir, uint64_t fingerprint,
                       const FileIdentity& version, const DiscoveredSchema& schema);

}  // namespace idsync::file
