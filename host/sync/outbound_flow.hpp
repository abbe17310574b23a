// Outbound attribute flow: what the in-scope outbound rules of one target connector want its
// object of one MV object to hold.
//
// Per target attribute, the rules are asked in precedence order (lower number first):
//   - the first rule giving values or AuthoritativeNull decides (AuthoritativeNull: no value);
//   - a NULL lets the next rule speak; when none decides, the attribute gets no value (a
//     Direct flow of an empty MV attribute clears the target's value);
//   - IgnoreThisFlow leaves the target's value as it is, unless a later rule decides;
//   - an "apply once" flow acts only while the target has no value for the attribute (for
//     "dn": while the object has no DN); otherwise it counts as IgnoreThisFlow;
//   - merge types Merge and MergeCaseInsensitive only add values (target_state.hpp).
// The target "dn" (any case) is not an attribute: it is the DN the object is created with or
// renamed to.
#pragma once

#include <optional>
#include <span>
#include <string>

#include "sync/mv_context.hpp"
#include "sync/rule_catalog.hpp"
#include "sync/target_state.hpp"

namespace idsync::sync {

struct DesiredObject {
  std::optional<std::string> dn;  // set when a rule decided the DN
  DesiredAttributes attributes;   // only the attributes some rule decided (or cleared)
};

// `rules`: in scope, in precedence order. `expected`: the target's expected state, for "apply
// once"; null when provisioning (nothing is there yet). Throws expr::EvalError when an
// expression fails on the object's data.
DesiredObject desired_object(std::span<const CompiledRule* const> rules, const MvContext& mv,
                             const TargetState* expected);

// The rules whose scoping filter holds for the MV object, keeping precedence order.
std::vector<const CompiledRule*> outbound_in_scope(std::span<const CompiledRule* const> rules,
                                                   const MvContext& mv);

}  // namespace idsync::sync
