// The connector config file the kit is given with --connector-config: one connector entry as in
// a manifest, plus what the kit needs to know about the data behind it. Format in README.md.
#pragma once

#include <boost/json/object.hpp>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "manifest/manifest.hpp"

namespace idsync::contract {

using AttrValues = std::vector<std::pair<std::string, std::vector<std::string>>>;

struct ExportSpec {
  std::string object_type;
  // Given in the ADD operation; empty: the system assigns the anchor.
  std::string anchor;
  std::string dn;
  AttrValues attributes;  // the new object's attributes, in file order
  // REPLACE values for the update round trip; empty: the kit derives one from `attributes`.
  AttrValues update;
  // The connector's imports read what its exports write, so an import confirms an export.
  bool confirm_by_import = true;
};

struct ConnectorConfigFile {
  std::filesystem::path file;    // absolute
  std::filesystem::path folder;  // relative paths in `config` resolve against it
  std::string name = "contract-kit";
  std::string type;  // empty: the plugin's only connector type
  boost::json::object config;
  std::vector<std::string> object_types;
  std::size_t min_objects = 1;
  std::optional<ExportSpec> export_spec;
};

// Reads and checks `file`. Throws std::runtime_error "<file>: <json path>: <problem>" naming the
// first problem.
ConnectorConfigFile load_connector_config(const std::filesystem::path& file);

// The manifest connector entry the host would build, with relative paths anchored at
// `base_dir` (the kit's private copy of the config's folder).
manifest::ConnectorDecl make_decl(const ConnectorConfigFile& spec,
                                  const std::filesystem::path& base_dir);

}  // namespace idsync::contract
