#include "sync/membership.hpp"

#include "store/connector_space.hpp"

namespace idsync::sync {

bool uses_membership(const sync_rules::RuleSet& rules) {
  for (const sync_rules::SyncRule& r : rules.all()) {
    if (r.disabled || r.direction != sync_rules::Direction::kInbound) continue;
    for (const auto& group : r.scoping.groups)
      for (const auto& c : group.conditions)
        if (c.op == sync_rules::ScopeOperator::kIsMemberOf ||
            c.op == sync_rules::ScopeOperator::kIsNotMemberOf)
          return true;
  }
  return false;
}

const std::unordered_set<std::string>& Membership::members(uint32_t connector_id,
                                                           std::string_view group) {
  auto key = std::make_pair(connector_id, store::lowercase(group));
  auto it = groups_.find(key);
  if (it != groups_.end()) return it->second;
  std::unordered_set<std::string> values;
  const store::ConnectorSpace cs(store_, connector_id);
  std::optional<store::CsObject> g;
  if (auto anchor = cs.anchor_by_dn(group)) g = cs.get(*anchor);
  if (!g) g = cs.get(group);
  if (g && g->pending != store::PendingChange::remove)
    if (const store::Attribute* member = g->find("member"))
      for (const std::string& v : member->values) values.insert(store::lowercase(v));
  return groups_.emplace(std::move(key), std::move(values)).first->second;
}

bool Membership::is_member(uint32_t connector_id, const store::CsObject& object,
                           std::string_view group) {
  const auto& values = members(connector_id, group);
  if (values.empty()) return false;
  return (!object.dn.empty() && values.count(store::lowercase(object.dn))) ||
         values.count(store::lowercase(object.anchor));
}

}  // namespace idsync::sync
