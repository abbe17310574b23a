#include "plugin_host/registry.hpp"

#include <set>
#include <system_error>

#include "plugin_host/discovery.hpp"
#include "plugin_host/loader.hpp"
#include "plugin_host/negotiate.hpp"

namespace idsync::plugin_host {

namespace fs = std::filesystem;

namespace {

std::string join(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + items[i];
  return out + "]";
}

// Ids declared twice by one plugin: the registry could keep only one of them.
void refuse_repeats(const std::vector<std::string>& ids, const char* kind, const fs::path& file) {
  std::set<std::string> seen;
  for (const std::string& id : ids)
    if (!seen.insert(id).second)
      throw RefusedError(file, std::string("duplicate ") + kind + " type '" + id +
                                   "': plugin.json lists it twice");
}

}  // namespace

Registry Registry::discover(const std::vector<fs::path>& plugin_dirs, LogFn log) {
  Registry registry;
  for (const ListingEntry& entry : list_plugins(plugin_dirs).entries) {
    if (const auto* refusal = std::get_if<Refusal>(&entry)) {
      registry.refused_.push_back(*refusal);
      continue;
    }
    try {
      registry.load(std::get<Candidate>(entry));
      if (log) {
        const PluginRecord& p = registry.plugins_.back();
        log(IDSYNC_LOG_INFO, "loaded plugin '" + p.name + "' " + p.version + " (ABI " +
                                 std::to_string(IDSYNC_ABI_MAJOR) + "." +
                                 std::to_string(p.abi_minor) + ") from " + p.folder.string() +
                                 ": connector types " + join(p.connector_types) + ", rule types " +
                                 join(p.rule_types));
      }
    } catch (const RefusedError& e) {
      registry.refused_.push_back(e.refusal());
    }
  }
  if (log)
    for (const Refusal& r : registry.refused_)
      log(IDSYNC_LOG_WARN, "refused plugin: " + r.to_string());
  return registry;
}

void Registry::load(const Candidate& c) {
  const Sidecar& s = c.sidecar;
  // Settled from plugin.json before loading, so a plugin that would be refused for a clash
  // runs no code. After loading, plugin.json is checked to match the library exactly.
  if (const PluginRecord* other = plugin(s.name))
    throw RefusedError(c.sidecar_file, "duplicate plugin name '" + s.name +
                                           "': already loaded from " + other->folder.string());
  refuse_repeats(s.connector_types, "connector", c.sidecar_file);
  refuse_repeats(s.rule_types, "rule", c.sidecar_file);
  for (const std::string& id : s.connector_types)
    if (const ConnectorType* taken = connector_type(id))
      throw RefusedError(c.sidecar_file, "duplicate connector type '" + id +
                                             "': already provided by plugin '" + taken->plugin() +
                                             "' (" + plugin(taken->plugin())->folder.string() +
                                             ")");
  for (const std::string& id : s.rule_types)
    if (const RuleType* taken = rule_type(id))
      throw RefusedError(c.sidecar_file, "duplicate rule type '" + id +
                                             "': already provided by plugin '" + taken->plugin() +
                                             "' (" + plugin(taken->plugin())->folder.string() +
                                             ")");

  const EntryAnswer answer = load_and_enter(c.library, s.name);
  const Negotiated n = negotiate(answer, s, c.library);

  std::vector<std::unique_ptr<ConnectorType>> connectors;
  std::vector<std::string> connector_ids;
  for (std::size_t i = 0; i < n.info.connector_type_count; ++i) {
    connectors.push_back(std::make_unique<ConnectorType>(
        ConnectorType::copy_from(n.info.connector_types[i], i, n.abi_minor, s.name, c.library)));
    connector_ids.push_back(connectors.back()->id());
  }
  std::vector<std::unique_ptr<RuleType>> rules;
  std::vector<std::string> rule_ids;
  for (std::size_t i = 0; i < n.info.rule_type_count; ++i) {
    rules.push_back(std::make_unique<RuleType>(
        RuleType::copy_from(n.info.rule_types[i], i, n.abi_minor, s.name, c.library)));
    rule_ids.push_back(rules.back()->id());
  }
  check_declared_types(s, connector_ids, rule_ids, c.library);

  // Only now, with nothing left to refuse, does the plugin become visible.
  for (auto& t : connectors) connectors_.emplace(t->id(), std::move(t));
  for (auto& t : rules) rules_.emplace(t->id(), std::move(t));
  plugins_.push_back(PluginRecord{s.name, s.version, s.description, c.folder, c.library,
                                  n.abi_minor, s.connector_types, s.rule_types});
}

const PluginRecord* Registry::plugin(std::string_view name) const {
  for (const PluginRecord& p : plugins_)
    if (p.name == name) return &p;
  return nullptr;
}

const ConnectorType* Registry::connector_type(std::string_view id) const {
  auto it = connectors_.find(id);
  return it == connectors_.end() ? nullptr : it->second.get();
}

const RuleType* Registry::rule_type(std::string_view id) const {
  auto it = rules_.find(id);
  return it == rules_.end() ? nullptr : it->second.get();
}

std::vector<const ConnectorType*> Registry::connector_types() const {
  std::vector<const ConnectorType*> out;
  for (const auto& [id, t] : connectors_) out.push_back(t.get());
  return out;
}

std::vector<const RuleType*> Registry::rule_types() const {
  std::vector<const RuleType*> out;
  for (const auto& [id, t] : rules_) out.push_back(t.get());
  return out;
}

fs::path default_plugin_dir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  return (exe.parent_path() / ".." / "lib" / "idsync" / "plugins").lexically_normal();
}

}  // namespace idsync::plugin_host
