// plugin.json: what a plugin folder declares about its library, readable without loading it.
#ifndef IDSYNC_PLUGIN_HOST_SIDECAR_HPP
#define IDSYNC_PLUGIN_HOST_SIDECAR_HPP

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace idsync::plugin_host {

// The parsed sidecar, e.g.
//   {"name": "file", "version": "0.1.0", "abi": {"major": 1, "minor": 0},
//    "library": "libidsync_file.so", "connector_types": ["file"], "rule_types": [],
//    "description": "..."}
// Unknown keys are ignored so that a newer sidecar still lists on an older host (the ABI
// check then decides whether it loads).
struct Sidecar {
  std::string name;
  std::string version;
  uint32_t abi_major = 0;
  uint32_t abi_minor = 0;
  std::string library;  // a bare file name inside the plugin folder
  std::vector<std::string> connector_types;
  std::vector<std::string> rule_types;
  std::string description;
};

// Parses sidecar text. Throws RefusedError(`file`, "malformed plugin.json: ...") naming the
// JSON problem (with line and column for syntax errors) or the missing/mistyped key.
Sidecar parse_sidecar(std::string_view text, const std::filesystem::path& file);

// Reads and parses `file`. Throws RefusedError when it cannot be read or is malformed.
Sidecar read_sidecar(const std::filesystem::path& file);

}  // namespace idsync::plugin_host

#endif  // IDSYNC_PLUGIN_HOST_SIDECAR_HPP
