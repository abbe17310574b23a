// Rule plugins, as the rest of the host uses them: every loaded rule type's functions registered
// into an expression FunctionRegistry, and its transforms looked up by name.
//
//   auto registry = plugin_host::Registry::discover(dirs);
//   expr::FunctionRegistry functions;
//   auto rules = rule_plugins::RulePlugins::attach(registry, functions);
//   for (const std::string& p : rules.problems()) log(WARN, p);
//   auto e = expr::Expression::compile(R"(NormalizePhone([telephoneNumber], "1"))", &functions);
//   const Transform* t = rules.transform("DeriveMailNickname");
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "expressions/registry.hpp"
#include "plugin_host/registry.hpp"
#include "rule_plugins/plugin_function.hpp"
#include "rule_plugins/transform.hpp"

namespace idsync::rule_plugins {

class RulePlugins {
 public:
  // Registers every function of every rule type in `registry` (types in id order, functions in
  // declared order) into `functions`, and indexes every transform. A function whose name is
  // taken (case-insensitively) by a built-in, by another plugin's function or by something the
  // caller registered before, or that the FunctionRegistry refuses for another reason, is left
  // out with one line in problems() naming both sides, e.g.
  //   rule function 'Left' of plugin 'b' (rule type 'b.t') is not available: expression
  //   function "Left" would shadow the built-in of that name
  //   rule function 'Norm' of plugin 'b' (rule type 'b.t') is not available: plugin 'a' (rule
  //   type 'a.t') already provides it
  // Transforms clash the same way among themselves. The first to claim a name keeps it, and is
  // registered into `functions` too (FunctionRegistry::add_transform), for sync rules.
  // Functions registered stay valid after this object and the Registry are gone.
  static RulePlugins attach(const plugin_host::Registry& registry,
                            expr::FunctionRegistry& functions);

  // Clashes, one line each, in the order found.
  const std::vector<std::string>& problems() const { return problems_; }
  // The functions that were registered, in registration order (for listings and docs).
  const std::vector<std::shared_ptr<const PluginFunction>>& functions() const { return functions_; }
  const std::vector<Transform>& transforms() const { return transforms_; }
  // The transform named `name` (ASCII case-insensitive), or nullptr.
  const Transform* transform(std::string_view name) const;

 private:
  RulePlugins() = default;
  void add_function(const plugin_host::RuleType& type, const idsync_rule_function& f,
                    const idsync_host_info* log_to, expr::FunctionRegistry& functions);
  void add_transform(const plugin_host::RuleType& type, const idsync_rule_transform& t,
                     const idsync_host_info* log_to);

  std::vector<std::string> problems_;
  std::vector<std::shared_ptr<const PluginFunction>> functions_;
  std::vector<Transform> transforms_;
};

}  // namespace idsync::rule_plugins
