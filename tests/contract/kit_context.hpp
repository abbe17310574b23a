// What run_kit was asked to certify, and the plugin and connector config loaded from it once
// per run (loading a library twice would map a second copy of it; the host never unloads).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "contract/connector_config.hpp"
#include "plugin_host/registry.hpp"

namespace idsync::contract {

struct KitOptions {
  std::filesystem::path plugin_dir;
  std::optional<std::filesystem::path> connector_config;
};

void set_options(KitOptions options);
const KitOptions& options();
// Drops the loaded plugin's registry and the kit's temporary folders (end of run_kit).
void release_context();

struct LoadedPlugin {
  // Why the plugin did not load, one line each; empty when it loaded.
  std::vector<std::string> problems;
  const plugin_host::Registry* registry = nullptr;
  const plugin_host::PluginRecord* record = nullptr;
  // The connector types the loaded plugin provides, sorted by id.
  std::vector<const plugin_host::ConnectorType*> connector_types;
};

// Copies the plugin folder into a private temporary folder and discovers only that folder, on
// first use. A copy, because the host refuses folders others can write and because only this
// one plugin may load (a shipped plugin with the same type id would shadow it).
const LoadedPlugin& loaded_plugin();

struct LoadedConfig {
  std::optional<ConnectorConfigFile> file;
  std::string problem;  // why the file could not be used
};

// nullptr when no connector config was given.
const LoadedConfig* loaded_config();

// The message of a skipped test: what to pass to run it.
std::string skip_message(const std::string& what);

}  // namespace idsync::contract
