#include "rule_plugins/rule_plugins.hpp"

#include <map>
#include <stdexcept>

#include "expressions/errors.hpp"
#include "plugin_host/host_log.hpp"

namespace idsync::rule_plugins {

namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::string origin(const std::string& plugin, const std::string& rule_type) {
  return "plugin '" + plugin + "' (rule type '" + rule_type + "')";
}

std::string text(const char* s) { return s ? std::string(s) : std::string(); }

}  // namespace

RulePlugins RulePlugins::attach(const plugin_host::Registry& registry,
                                expr::FunctionRegistry& functions) {
  RulePlugins out;
  // One log target per plugin: each host_info lives for the process, so make them once.
  std::map<std::string, const idsync_host_info*> log_to;
  for (const plugin_host::PluginRecord& plugin : registry.plugins())
    if (!plugin.rule_types.empty()) functions.add_provider(plugin.name + " " + plugin.version);
  for (const plugin_host::RuleType* type : registry.rule_types()) {
    auto [it, fresh] = log_to.try_emplace(type->plugin(), nullptr);
    if (fresh) it->second = plugin_host::host_info_for(type->plugin());
    for (const idsync_rule_function* f : type->functions())
      out.add_function(*type, *f, it->second, functions);
    for (const idsync_rule_transform* t : type->transforms())
      out.add_transform(*type, *t, it->second);
  }
  // Sync rules call transforms through the registry, like functions; a failure is reported as
  // an expression error of the object, which the sync step counts and lists.
  for (const Transform& t : out.transforms_) {
    auto transform = std::make_shared<const Transform>(t);
    functions.add_transform(
        t.name(), [transform](std::string_view object_type, const expr::TransformAttributes& in) {
          TransformAttributes attributes;
          for (const auto& [name, value] : in) attributes.push_back({name, value});
          TransformAttributes set;
          try {
            set = transform->apply(object_type, attributes);
          } catch (const TransformError& e) {
            throw expr::EvalError("rule plugin", 0, e.what());
          }
          expr::TransformAttributes out;
          for (auto& a : set) out.emplace_back(std::move(a.name), std::move(a.value));
          return out;
        });
  }
  return out;
}

void RulePlugins::add_function(const plugin_host::RuleType& type, const idsync_rule_function& f,
                               const idsync_host_info* log_to, expr::FunctionRegistry& functions) {
  auto fn = std::make_shared<PluginFunction>();
  fn->name = text(f.name);
  fn->doc = text(f.doc);
  fn->plugin = type.plugin();
  fn->rule_type = type.id();
  fn->min_args = f.min_args;
  fn->max_args = f.max_args;
  fn->call = f.call;
  fn->log_to = log_to;
  const std::string head = "rule function '" + fn->name + "' of " +
                           origin(fn->plugin, fn->rule_type) + " is not available: ";
  for (const auto& other : functions_) {
    if (iequals(other->name, fn->name)) {
      problems_.push_back(head + origin(other->plugin, other->rule_type) + " already provides " +
                          (other->name == fn->name ? "it" : "'" + other->name + "'"));
      return;
    }
  }
  try {
    functions.add(fn->name, fn->min_args, fn->max_args, make_external(fn));
  } catch (const std::invalid_argument& e) {
    problems_.push_back(head + e.what());
    return;
  }
  functions_.push_back(std::move(fn));
}

void RulePlugins::add_transform(const plugin_host::RuleType& type, const idsync_rule_transform& t,
                                const idsync_host_info* log_to) {
  const std::string name = text(t.name);
  if (const Transform* other = transform(name)) {
    problems_.push_back("rule transform '" + name + "' of " + origin(type.plugin(), type.id()) +
                        " is not available: " + origin(other->plugin(), other->rule_type()) +
                        " already provides " +
                        (other->name() == name ? "it" : "'" + other->name() + "'"));
    return;
  }
  transforms_.emplace_back(name, text(t.doc), type.plugin(), type.id(), t.apply, log_to);
}

const Transform* RulePlugins::transform(std::string_view name) const {
  for (const Transform& t : transforms_)
    if (iequals(t.name(), name)) return &t;
  return nullptr;
}

}  // namespace idsync::rule_plugins
