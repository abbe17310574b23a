#include "runtime/loaded_rules.hpp"

#include <spdlog/spdlog.h>

#include "expressions/expression.hpp"
#include "rule_plugins/rule_plugins.hpp"
#include "sync_rules/loader.hpp"

namespace idsync::runtime {

LoadedRules load_manifest_rules(const manifest::Manifest& manifest,
                                const plugin_host::Registry& plugins) {
  LoadedRules loaded;
  loaded.functions = std::make_unique<expr::FunctionRegistry>();
  // A clash only hides one plugin function; a rule calling it then fails its check below, which
  // names the rule, so the clash itself is a warning.
  const auto attached = rule_plugins::RulePlugins::attach(plugins, *loaded.functions);
  for (const std::string& p : attached.problems()) spdlog::warn("{}", p);

  sync_rules::LoadOptions options;
  std::vector<std::string> names;
  for (const auto& c : manifest.connectors) names.push_back(c.name);
  options.known_connectors = std::move(names);
  const expr::FunctionRegistry* functions = loaded.functions.get();
  options.check_expression =
      [functions](std::string_view text) -> std::optional<sync_rules::ExpressionProblem> {
    try {
      expr::Expression::compile(text, functions);
      return std::nullopt;
    } catch (const expr::ParseError& e) {
      return sync_rules::ExpressionProblem{e.column(), e.detail()};
    }
  };
  options.check_transform = [functions](std::string_view name) -> std::optional<std::string> {
    if (functions->find_transform(name)) return std::nullopt;
    return "no loaded rule plugin provides a transform named \"" + std::string(name) +
           "\" (idsync plugins lists them)";
  };
  loaded.rules = sync_rules::load_rules(manifest.rules.path, options);
  return loaded;
}

}  // namespace idsync::runtime
