#include "sync/outbound_rules.hpp"

#include <algorithm>

#include "store/cs_object.hpp"

namespace idsync::sync {

OutboundCatalog::OutboundCatalog(const sync_rules::RuleSet& rules, store::Store& store,
                                 const expr::FunctionRegistry* functions) {
  // RuleSet::all() is in load order; precedence order comes from sorting each target's rules.
  for (const sync_rules::SyncRule& rule : rules.all()) {
    if (rule.direction != sync_rules::Direction::kOutbound || rule.disabled) continue;
    const CompiledRule& compiled = compiled_.emplace_back(compile_rule(rule, functions));
    auto& list = by_type_[store::lowercase(rule.mv_object_type)];
    auto it = std::find_if(list.begin(), list.end(), [&](const OutboundTarget& t) {
      return store::iequals(t.connector, rule.connector);
    });
    if (it == list.end()) {
      OutboundTarget& added = list.emplace_back();
      added.connector = rule.connector;
      added.connector_id = store.connector_id(rule.connector);
      it = list.end() - 1;
    }
    it->rules.push_back(&compiled);
  }
  for (auto& [type, list] : by_type_) {
    std::sort(list.begin(), list.end(), [](const OutboundTarget& a, const OutboundTarget& b) {
      return store::iless(a.connector, b.connector);
    });
    for (OutboundTarget& t : list) {
      std::sort(t.rules.begin(), t.rules.end(), [](const CompiledRule* a, const CompiledRule* b) {
        if (a->rule->precedence != b->rule->precedence)
          return a->rule->precedence < b->rule->precedence;
        return store::iless(a->rule->name, b->rule->name);
      });
      t.cs_object_type = t.rules.front()->rule->cs_object_type;
      t.secrets = store::read_secret_attributes(store, t.connector_id);
      t.add_named_anchors = store::read_add_named_anchors(store, t.connector_id);
      for (const CompiledRule* r : t.rules)
        if (r->rule->link_type == sync_rules::LinkType::kProvision) {
          if (!t.provisions) {
            t.cs_object_type = r->rule->cs_object_type;
            t.deprovision = r->rule->deprovisioning.action;
            if (t.deprovision == sync_rules::DeprovisionAction::kUpdate)
              t.deprovision_update = &compiled_.emplace_back(
                  compile_rule(*r->rule, r->rule->deprovisioning.transformations, functions));
          }
          t.provisions = true;
        }
    }
  }
}

std::span<const OutboundTarget> OutboundCatalog::targets(std::string_view mv_type) const {
  auto it = by_type_.find(store::lowercase(mv_type));
  if (it == by_type_.end()) return {};
  return it->second;
}

const OutboundTarget* OutboundCatalog::target(std::string_view mv_type,
                                              uint32_t connector_id) const {
  for (const OutboundTarget& t : targets(mv_type))
    if (t.connector_id == connector_id) return &t;
  return nullptr;
}

}  // namespace idsync::sync
