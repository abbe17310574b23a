// The outbound rules prepared for outbound sync: compiled once, grouped by MV object type and
// target connector, so that each dirty MV object asks "which connectors do objects of my type
// flow to, and through which rules" once.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "expressions/registry.hpp"
#include "store/add_named_anchors.hpp"
#include "store/secret_attributes.hpp"
#include "store/store.hpp"
#include "sync/rule_catalog.hpp"
#include "sync_rules/rule_set.hpp"

namespace idsync::sync {

struct OutboundTarget {
  std::string connector;  // as the rules spell it
  uint32_t connector_id = 0;
  std::string cs_object_type;  // of the best-precedence Provision rule, else of the first
  std::vector<const CompiledRule*> rules;  // enabled, in precedence order
  // Some rule provisions: the connector gets a new object for an MV object in scope, and the
  // object is deprovisioned (a pending delete) when the MV object leaves every Provision
  // rule's scope or is deleted. A connector with Join rules only is disconnected instead.
  bool provisions = false;
  // What deprovisioning does here: the "deprovisioning" of the best-precedence Provision rule.
  sync_rules::DeprovisionAction deprovision = sync_rules::DeprovisionAction::kDelete;
  const CompiledRule* deprovision_update = nullptr;  // its transformations, for kUpdate
  // The connector's write-only attributes (passwords): they flow into the ADD that provisions
  // an object and never into an update (store/secret_attributes.hpp).
  store::SecretAttributes secrets;
  // The object types whose ADD the connector files under their anchor attribute's value: an
  // object of one is provisioned under its final anchor (store/add_named_anchors.hpp).
  store::AddNamedAnchors add_named_anchors;
};

class OutboundCatalog {
 public:
  // Allocates store connector ids for target connectors that have none yet (so the catalog
  // needs the writable store). Throws std::runtime_error when an expression does not compile.
  // `rules` and `functions` (may be null) must outlive the catalog.
  OutboundCatalog(const sync_rules::RuleSet& rules, store::Store& store,
                  const expr::FunctionRegistry* functions);

  // The target connectors of MV objects of `mv_type`, in connector name order.
  std::span<const OutboundTarget> targets(std::string_view mv_type) const;
  // The target of `connector_id` for `mv_type`, or nullptr.
  const OutboundTarget* target(std::string_view mv_type, uint32_t connector_id) const;
  bool empty() const { return by_type_.empty(); }

 private:
  std::deque<CompiledRule> compiled_;                           // stable addresses
  std::map<std::string, std::vector<OutboundTarget>> by_type_;  // lowercase mv type
};

}  // namespace idsync::sync
