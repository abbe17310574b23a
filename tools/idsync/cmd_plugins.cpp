// idsync plugins: what the host loaded and what it refused, with reasons.
#include <boost/json.hpp>
#include <filesystem>
#include <iostream>

#include "commands.hpp"
#include "expressions/registry.hpp"
#include "plugin_host/registry.hpp"
#include "rule_plugins/rule_plugins.hpp"

namespace idsync::cli {

namespace json = boost::json;

namespace {

std::string_view capability_names(uint32_t caps, std::string& out) {
  const std::pair<uint32_t, const char*> names[] = {
      {IDSYNC_CAP_FULL_IMPORT, "full_import"},
      {IDSYNC_CAP_DELTA_IMPORT, "delta_import"},
      {IDSYNC_CAP_EXPORT, "export"},
      {IDSYNC_CAP_CURRENT_WATERMARK, "current_watermark"},
      {IDSYNC_CAP_TEST_CONNECTION, "test_connection"}};
  for (const auto& [flag, name] : names)
    if (caps & flag) out += (out.empty() ? "" : ",") + std::string(name);
  return out;
}

const char* config_type_name(idsync_config_type t) {
  switch (t) {
    case IDSYNC_CONFIG_STRING:
      return "string";
    case IDSYNC_CONFIG_INTEGER:
      return "integer";
    case IDSYNC_CONFIG_BOOLEAN:
      return "boolean";
    case IDSYNC_CONFIG_STRING_LIST:
      return "string list";
    case IDSYNC_CONFIG_PATH:
      return "path";
  }
  return "unknown";
}

// A rule type with its functions and transforms, each with its doc: what an admin may call.
json::object rule_type_json(const plugin_host::RuleType& t) {
  json::array functions, transforms;
  for (const idsync_rule_function* f : t.functions())
    functions.push_back(json::object{{"name", f->name},
                                     {"doc", f->doc ? f->doc : ""},
                                     {"min_args", f->min_args},
                                     {"max_args", f->max_args}});
  for (const idsync_rule_transform* x : t.transforms())
    transforms.push_back(json::object{{"name", x->name}, {"doc", x->doc ? x->doc : ""}});
  return json::object{{"id", t.id()},
                      {"description", std::string(t.description())},
                      {"functions", std::move(functions)},
                      {"transforms", std::move(transforms)}};
}

int list_plugins(const Context& ctx, bool as_json) {
  // Listing works without a manifest (then only the shipped plugins) so that an admin can see
  // what is installed before writing one.
  std::vector<std::filesystem::path> dirs;
  std::unique_ptr<runtime::Runtime> rt;
  if (ctx.manifest_named() || std::filesystem::exists(ctx.manifest_path())) {
    rt = ctx.load_runtime();
  }
  const plugin_host::Registry* registry = nullptr;
  std::optional<plugin_host::Registry> own;
  if (rt) {
    registry = &rt->registry();
    dirs = rt->plugin_dirs();
  } else {
    dirs.push_back(plugin_host::default_plugin_dir());
    own.emplace(plugin_host::Registry::discover(dirs));
    registry = &*own;
  }
  // Rule names that clash (with each other or a built-in) are unusable; say so here, where an
  // admin looks when a function is "unknown".
  expr::FunctionRegistry scratch;
  const auto rules = rule_plugins::RulePlugins::attach(*registry, scratch);

  if (as_json) {
    json::array plugins, refused, folders;
    for (const auto& d : dirs) folders.push_back(json::string(d.string()));
    for (const auto& p : registry->plugins()) {
      json::array types;
      for (const auto& id : p.connector_types) {
        const auto* t = registry->connector_type(id);
        std::string caps;
        json::array fields;
        for (const auto* f : t->fields()) {
          fields.push_back(json::object{
              {"name", f->name},
              {"type", config_type_name(f->type)},
              {"required", (f->flags & IDSYNC_CONFIG_REQUIRED) != 0},
              {"secret", (f->flags & IDSYNC_CONFIG_SECRET) != 0},
              {"default", f->default_value ? json::value(f->default_value) : json::value()},
              {"doc", f->doc ? f->doc : ""}});
        }
        types.push_back(
            json::object{{"id", id},
                         {"display_name", std::string(t->display_name())},
                         {"capabilities", std::string(capability_names(t->capabilities(), caps))},
                         {"config", std::move(fields)}});
      }
      json::array rule_types;
      for (const auto& id : p.rule_types)
        if (const auto* t = registry->rule_type(id)) rule_types.push_back(rule_type_json(*t));
      plugins.push_back(json::object{{"name", p.name},
                                     {"version", p.version},
                                     {"abi", "1." + std::to_string(p.abi_minor)},
                                     {"folder", p.folder.string()},
                                     {"connector_types", std::move(types)},
                                     {"rule_types", std::move(rule_types)}});
    }
    for (const auto& r : registry->refused())
      refused.push_back(json::object{{"file", r.file.string()}, {"reason", r.reason}});
    json::array clashes;
    for (const auto& problem : rules.problems()) clashes.push_back(json::string(problem));
    std::cout << json::serialize(json::object{{"plugin_dirs", std::move(folders)},
                                              {"loaded", std::move(plugins)},
                                              {"refused", std::move(refused)},
                                              {"rule_clashes", std::move(clashes)}})
              << "\n";
    return kExitOk;
  }

  std::cout << "Plugin folders:\n";
  for (const auto& d : dirs) std::cout << "  " << d.string() << "\n";
  std::cout << "Loaded (" << registry->plugins().size() << "):\n";
  for (const auto& p : registry->plugins()) {
    std::cout << "  " << p.name << " " << p.version << " (ABI 1." << p.abi_minor << ") "
              << p.folder.string() << "\n";
    for (const auto& id : p.connector_types) {
      std::string caps;
      std::cout << "    connector type " << id << ": "
                << capability_names(registry->connector_type(id)->capabilities(), caps) << "\n";
    }
    for (const auto& id : p.rule_types) {
      std::cout << "    rule type " << id << ":";
      if (const auto* t = registry->rule_type(id)) {
        for (const idsync_rule_function* f : t->functions()) std::cout << " " << f->name << "()";
        for (const idsync_rule_transform* x : t->transforms()) std::cout << " " << x->name;
      }
      std::cout << "\n";
    }
  }
  std::cout << "Refused (" << registry->refused().size() << "):\n";
  for (const auto& r : registry->refused()) std::cout << "  " << r.to_string() << "\n";
  if (!rules.problems().empty()) {
    std::cout << "Rule name clashes (" << rules.problems().size() << "):\n";
    for (const auto& problem : rules.problems()) std::cout << "  " << problem << "\n";
  }
  return kExitOk;
}

}  // namespace

void add_plugins_command(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("plugins", "List loaded plugins and refused ones with the reason");
  auto as_json = std::make_shared<bool>(false);
  cmd->add_flag("--json", *as_json, "Print JSON");
  cmd->callback(
      [&ctx, as_json] { ctx.action = [&ctx, as_json] { return list_plugins(ctx, *as_json); }; });

  auto* plugin = app.add_subcommand("plugin", "Work with one plugin");
  plugin->require_subcommand(1);
  add_plugin_check_command(*plugin, ctx);
}

}  // namespace idsync::cli
