// The plugins this process has loaded and the connector and rule types they provide.
#ifndef IDSYNC_PLUGIN_HOST_REGISTRY_HPP
#define IDSYNC_PLUGIN_HOST_REGISTRY_HPP

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "plugin_host/connector_type.hpp"
#include "plugin_host/host_log.hpp"
#include "plugin_host/refusal.hpp"
#include "plugin_host/rule_type.hpp"

namespace idsync::plugin_host {

struct Candidate;  // discovery.hpp

// A loaded plugin, as its plugin.json describes it (verified against the library).
struct PluginRecord {
  std::string name;
  std::string version;
  std::string description;
  std::filesystem::path folder;
  std::filesystem::path library;
  uint32_t abi_minor = 0;  // negotiated
  std::vector<std::string> connector_types;
  std::vector<std::string> rule_types;
};

class Registry {
 public:
  // Lists the plugin dirs (discovery.hpp), then loads each candidate in that order, calls its
  // entry and keeps validated copies of its types. Every problem refuses just that plugin,
  // with one line in refused(); the first plugin to provide a type id keeps it. `log` gets
  // one INFO line per loaded plugin and one WARN line per refusal. Plugins' own log lines go
  // to set_plugin_log().
  static Registry discover(const std::vector<std::filesystem::path>& plugin_dirs, LogFn log = {});

  Registry(Registry&&) = default;
  Registry& operator=(Registry&&) = default;

  const std::vector<PluginRecord>& plugins() const { return plugins_; }
  const std::vector<Refusal>& refused() const { return refused_; }
  const PluginRecord* plugin(std::string_view name) const;

  // nullptr when no loaded plugin provides the id. The pointers stay valid as long as the
  // Registry (moving it keeps them valid).
  const ConnectorType* connector_type(std::string_view id) const;
  const RuleType* rule_type(std::string_view id) const;
  // All types, sorted by id.
  std::vector<const ConnectorType*> connector_types() const;
  std::vector<const RuleType*> rule_types() const;

 private:
  Registry() = default;
  // Loads one listed plugin or throws RefusedError; registers nothing unless all is well.
  void load(const Candidate& candidate);

  std::vector<PluginRecord> plugins_;
  std::vector<Refusal> refused_;
  std::map<std::string, std::unique_ptr<ConnectorType>, std::less<>> connectors_;
  std::map<std::string, std::unique_ptr<RuleType>, std::less<>> rules_;
};

// Where the shipped plugins are: <dir of the running executable>/../lib/idsync/plugins. The
// build tree mirrors the installed layout (bin/ and lib/idsync/plugins/), so this holds in
// both. Empty if /proc/self/exe cannot be read.
std::filesystem::path default_plugin_dir();

}  // namespace idsync::plugin_host

#endif  // IDSYNC_PLUGIN_HOST_REGISTRY_HPP
