// The rule set prepared for one sync step: expressions compiled once per rule, the connector
// names behind store connector ids, and the attributes the join index must cover.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "expressions/expression.hpp"
#include "store/store.hpp"
#include "sync_rules/rule_set.hpp"

namespace idsync::sync {

// One transformation and, for an Expression flow, its compiled expression.
struct CompiledFlow {
  const sync_rules::Transformation* transformation = nullptr;
  std::optional<expr::Expression> expression;
  const expr::ExternalTransform* transform = nullptr;  // a transform flow's, from the registry
  // The target in lower case: attributes are keyed so, and every object evaluated looks it up.
  std::string target_key;
};

struct CompiledRule {
  const sync_rules::SyncRule* rule = nullptr;
  std::vector<CompiledFlow> flows;
};

// Compiles the rule's expressions against the built-ins and `functions` (may be null). Throws
// std::runtime_error naming the rule and target when one does not compile.
CompiledRule compile_rule(const sync_rules::SyncRule& rule,
                          const expr::FunctionRegistry* functions);
// The same for another list of the rule's transformations (its deprovisioning update), which
// must live as long as the rule.
CompiledRule compile_rule(const sync_rules::SyncRule& rule,
                          const std::vector<sync_rules::Transformation>& transformations,
                          const expr::FunctionRegistry* functions);

// Whether `rule` has a flow of its own (not a transform's output) into `target`: such a flow
// wins over what the rule's transforms set.
bool has_explicit_flow(const CompiledRule& rule, std::string_view target);

// What a transform flow of `rule` sets on an object of `object_type` whose attributes are
// `attributes` (anything with a .name) seen through `context`: the transform's output, minus
// the attributes the rule has flows of its own into. Throws expr::EvalError when it fails.
template <typename Attributes>
expr::TransformAttributes transform_outputs(const CompiledRule& rule, const CompiledFlow& flow,
                                            std::string_view object_type,
                                            const expr::EvalContext& context,
                                            const Attributes& attributes) {
  expr::TransformAttributes in;
  for (const auto& a : attributes)
    if (const expr::Value* v = context.attribute(a.name)) in.emplace_back(a.name, *v);
  expr::TransformAttributes out = (*flow.transform)(object_type, in);
  std::erase_if(out, [&](const auto& a) { return has_explicit_flow(rule, a.first); });
  return out;
}

class RuleCatalog {
 public:
  // Compiles every enabled inbound rule's expressions against the built-ins and `functions`
  // (may be null). Throws std::runtime_error naming the rule when one does not compile (rules
  // are checked at load, so this means a function the registry lacks). `rules` must outlive
  // the catalog.
  RuleCatalog(const sync_rules::RuleSet& rules, const store::Store& store,
              const expr::FunctionRegistry* functions);

  // Enabled inbound rules for (connector, CS type), in precedence order.
  std::vector<const CompiledRule*> inbound(std::string_view connector,
                                           std::string_view cs_object_type) const;
  // The connector name (as the rules spell it) of a store connector id; nullopt when no rule
  // names that connector (its objects then contribute nothing).
  std::optional<std::string_view> connector_name(uint32_t connector_id) const;
  // Whether `connector` has an enabled inbound Provision rule for MV objects of `mv_type`: it
  // is an authoritative source of such objects.
  bool provisions(std::string_view connector, std::string_view mv_type) const;
  // Whether an enabled inbound rule of `connector` for MV objects of `mv_type` may flow into
  // `attribute` (lowercase): a flow targets it, or a rule plugin transform may set anything.
  // False lets a sync skip evaluating that connector's objects for the attribute.
  bool may_contribute(std::string_view connector, std::string_view mv_type,
                      std::string_view attribute) const;
  // Whether a connector other than `connector_id` may_contribute `attribute` (lowercase) to MV
  // objects of `mv_type`. False lets a sync decide the attribute without reading the MV
  // object's links to ask the other linked objects.
  bool others_may_contribute(uint32_t connector_id, std::string_view mv_type,
                             std::string_view attribute) const;
  // Every MV attribute some join condition names, distinct ignoring case.
  const std::vector<std::string>& join_attributes() const { return join_attributes_; }

 private:
  const sync_rules::RuleSet& rules_;
  std::unordered_map<const sync_rules::SyncRule*, CompiledRule> compiled_;
  std::unordered_map<uint32_t, std::string> names_;
  std::vector<std::string> join_attributes_;
  // lowercase(connector) + '\0' + lowercase(mv type) + '\0' + lowercase(target), and
  // lowercase(connector) + '\0' + lowercase(mv type) + '\0' + '*' for a rule with a transform.
  std::unordered_set<std::string> targets_;
};

}  // namespace idsync::sync
