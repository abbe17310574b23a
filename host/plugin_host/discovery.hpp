// Lists installed plugins from their plugin.json sidecars. Runs no plugin code: this is what
// `idsync plugins` shows and what the registry then loads.
#ifndef IDSYNC_PLUGIN_HOST_DISCOVERY_HPP
#define IDSYNC_PLUGIN_HOST_DISCOVERY_HPP

#include <filesystem>
#include <variant>
#include <vector>

#include "plugin_host/refusal.hpp"
#include "plugin_host/sidecar.hpp"

namespace idsync::plugin_host {

// A plugin folder whose sidecar is well-formed, whose ABI major and minor this host
// supports, and whose folder, plugin.json and library are trusted (permissions.hpp).
struct Candidate {
  std::filesystem::path folder;        // <plugin dir>/<plugin>
  std::filesystem::path sidecar_file;  // <folder>/plugin.json
  std::filesystem::path library;       // <folder>/<sidecar.library>
  Sidecar sidecar;
};

// One plugin folder (or plugin dir) as found: a candidate to load, or why not.
using ListingEntry = std::variant<Candidate, Refusal>;

struct Listing {
  std::vector<ListingEntry> entries;  // in discovery order

  std::vector<Candidate> candidates() const;
  std::vector<Refusal> refused() const;
};

// Walks each plugin dir in the given order (earlier dirs take precedence on duplicate ids),
// and within one dir its subfolders sorted by path, so the outcome is deterministic. Relative
// dirs are made absolute; a dir given twice is walked once. A missing or untrusted dir is one
// refusal; a subfolder is one candidate or one refusal. Regular files and hidden entries in a
// plugin dir are ignored.
Listing list_plugins(const std::vector<std::filesystem::path>& plugin_dirs);

}  // namespace idsync::plugin_host

#endif  // IDSYNC_PLUGIN_HOST_DISCOVERY_HPP
