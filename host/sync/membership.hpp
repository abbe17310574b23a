// ISMEMBEROF / ISNOTMEMBEROF in inbound scoping filters: whether a connector-space object is a
// member of a group of its own connector (Entra Connect's group-based filtering).
//
// The rule names the group as the connector names objects: its DN, or its anchor where objects
// have no DN. The group's members are the values of its "member" attribute (DNs or anchors),
// and the object is a member when its DN or its anchor is among them, ignoring ASCII case.
// Only direct members count, as in Entra Connect. A group is read once per sync step and its
// member values kept (lowercased), so a filter on a large group costs one read per step, not
// per object. A group that is not in the connector space has no members.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>

#include "store/cs_object.hpp"
#include "store/store.hpp"
#include "sync_rules/rule_set.hpp"
#include "sync_rules/scoping.hpp"

namespace idsync::sync {

// Whether an enabled inbound rule's scoping uses ISMEMBEROF or ISNOTMEMBEROF.
bool uses_membership(const sync_rules::RuleSet& rules);

class Membership {
 public:
  // `enabled`: some rule uses ISMEMBEROF (uses_membership); otherwise of() binds nothing and
  // the scoping filters never ask.
  Membership(store::Store& store, bool enabled) : store_(store), enabled_(enabled) {}

  bool is_member(uint32_t connector_id, const store::CsObject& object, std::string_view group);

  // is_member bound to one object, for sync_rules::in_scope. `object` must outlive the result.
  sync_rules::MemberOfFn of(uint32_t connector_id, const store::CsObject& object) {
    if (!enabled_) return {};  // spares a callback per object on the sync's hot path
    return [this, connector_id, &object](std::string_view group) {
      return is_member(connector_id, object, group);
    };
  }

 private:
  const std::unordered_set<std::string>& members(uint32_t connector_id, std::string_view group);

  store::Store& store_;
  const bool enabled_;
  std::map<std::pair<uint32_t, std::string>, std::unordered_set<std::string>> groups_;
};

}  // namespace idsync::sync
