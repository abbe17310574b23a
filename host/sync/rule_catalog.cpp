#include "sync/rule_catalog.hpp"

#include <stdexcept>

#include "store/cs_object.hpp"

namespace idsync::sync {

using sync_rules::Direction;

namespace {

std::string target_key(std::string_view connector, std::string_view mv_type,
                       std::string_view attribute) {
  std::string key = store::lowercase(connector);
  key += '\0';
  key += store::lowercase(mv_type);
  key += '\0';
  key += attribute;
  return key;
}

}  // namespace

CompiledRule compile_rule(const sync_rules::SyncRule& rule,
                          const expr::FunctionRegistry* functions) {
  return compile_rule(rule, rule.transformations, functions);
}

CompiledRule compile_rule(const sync_rules::SyncRule& rule,
                          const std::vector<sync_rules::Transformation>& transformations,
                          const expr::FunctionRegistry* functions) {
  CompiledRule compiled{&rule, {}};
  for (const auto& t : transformations) {
    CompiledFlow flow{&t, std::nullopt, nullptr, store::lowercase(t.target)};
    if (t.flow == sync_rules::FlowType::kTransform) {
      flow.transform = functions ? functions->find_transform(t.transform) : nullptr;
      if (!flow.transform)
        throw std::runtime_error("sync rule \"" + rule.name +
                                 "\": no loaded rule plugin provides "
                                 "the transform \"" +
                                 t.transform + "\"");
    }
    if (t.flow == sync_rules::FlowType::kExpression) {
      try {
        flow.expression = expr::Expression::compile(t.expression, functions);
      } catch (const expr::ParseError& e) {
        throw std::runtime_error("sync rule \"" + rule.name + "\": transformation of \"" +
                                 t.target + "\": " + e.what());
      }
    }
    compiled.flows.push_back(std::move(flow));
  }
  return compiled;
}

bool has_explicit_flow(const CompiledRule& rule, std::string_view target) {
  for (const CompiledFlow& f : rule.flows)
    if (f.transformation->flow != sync_rules::FlowType::kTransform &&
        store::iequals(f.transformation->target, target))
      return true;
  return false;
}

RuleCatalog::RuleCatalog(const sync_rules::RuleSet& rules, const store::Store& store,
                         const expr::FunctionRegistry* functions)
    : rules_(rules) {
  for (const sync_rules::SyncRule& rule : rules.all()) {
    if (rule.direction != Direction::kInbound) continue;
    if (auto id = store.find_connector_id(rule.connector)) names_.emplace(*id, rule.connector);
    if (rule.disabled) continue;
    CompiledRule compiled = compile_rule(rule, functions);
    for (const auto& group : rule.join)
      for (const auto& condition : group.conditions) {
        bool known = false;
        for (const auto& a : join_attributes_)
          known = known || store::iequals(a, condition.mv_attribute);
        if (!known) join_attributes_.push_back(condition.mv_attribute);
      }
    for (const sync_rules::Transformation& t : rule.transformations)
      targets_.insert(target_key(rule.connector, rule.mv_object_type,
                                 t.flow == sync_rules::FlowType::kTransform
                                     ? std::string("*")
                                     : store::lowercase(t.target)));
    compiled_.emplace(&rule, std::move(compiled));
  }
}

bool RuleCatalog::may_contribute(std::string_view connector, std::string_view mv_type,
                                 std::string_view attribute) const {
  return targets_.count(target_key(connector, mv_type, attribute)) > 0 ||
         targets_.count(target_key(connector, mv_type, "*")) > 0;
}

bool RuleCatalog::others_may_contribute(uint32_t connector_id, std::string_view mv_type,
                                        std::string_view attribute) const {
  for (const auto& [id, name] : names_)
    if (id != connector_id && may_contribute(name, mv_type, attribute)) return true;
  return false;
}

std::vector<const CompiledRule*> RuleCatalog::inbound(std::string_view connector,
                                                      std::string_view cs_object_type) const {
  std::vector<const CompiledRule*> out;
  for (const sync_rules::SyncRule* rule : rules_.inbound(connector, cs_object_type))
    if (auto it = compiled_.find(rule); it != compiled_.end()) out.push_back(&it->second);
  return out;
}

std::optional<std::string_view> RuleCatalog::connector_name(uint32_t connector_id) const {
  auto it = names_.find(connector_id);
  if (it == names_.end()) return std::nullopt;
  return std::string_view(it->second);
}

bool RuleCatalog::provisions(std::string_view connector, std::string_view mv_type) const {
  for (const auto& [rule, compiled] : compiled_)
    if (rule->link_type == sync_rules::LinkType::kProvision &&
        store::iequals(rule->connector, connector) && store::iequals(rule->mv_object_type, mv_type))
      return true;
  return false;
}

}  // namespace idsync::sync
