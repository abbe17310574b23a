// What one CS object offers each MV attribute: its in-scope rules' flows, evaluated in
// precedence order, reduced to one contribution per target attribute, together with the merge
// type of the flow behind it (flow.hpp combines the contributions of several objects).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "store/mv_object.hpp"
#include "sync/cs_context.hpp"
#include "sync/rule_catalog.hpp"
#include "sync_rules/rule.hpp"

namespace idsync::sync {

struct Contribution {
  // values: the attribute takes `values`. authoritative_null: the attribute is removed and no
  // lower-precedence rule may set it. null: nothing from this object; the next source may
  // contribute. ignore: nothing from this object, and a value it supplied earlier stays.
  enum class Kind { values, null, authoritative_null, ignore };
  Kind kind = Kind::null;
  std::string target;                          // the MV attribute, as the rule spells it
  const sync_rules::SyncRule* rule = nullptr;  // the deciding rule; null for kind null
  idsync_value_type type = IDSYNC_VALUE_STRING;
  std::vector<std::string> values;  // non-empty exactly for kind values
  // The merge type of the flow that gave this result. For NULL it is a Merge type when any flow
  // into the target that gave NULL has one: the object is then a source of a merged attribute
  // that has stopped contributing, and its earlier values must leave the union.
  sync_rules::MergeMode merge = sync_rules::MergeMode::kUpdate;

  bool decisive() const { return kind == Kind::values || kind == Kind::authoritative_null; }
  bool merging() const { return merge != sync_rules::MergeMode::kUpdate; }
  uint32_t precedence() const { return rule ? static_cast<uint32_t>(rule->precedence) : 0; }
};

// By lowercase target attribute name.
using Contributions = std::map<std::string, Contribution, std::less<>>;

// The rules whose scoping filter holds for the object (ISMEMBEROF asks the context's
// member_of), keeping precedence order; with `mv_type` set, only rules for that MV type.
std::vector<const CompiledRule*> in_scope_rules(std::span<const CompiledRule* const> rules,
                                                const CsContext& object,
                                                std::string_view mv_type = {});

// Evaluates every flow of `rules` (in scope, in precedence order) on the object. Per target,
// the first rule giving values or AuthoritativeNull decides; a NULL lets the next rule speak;
// IgnoreThisFlow is kept unless a later rule decides. "apply once" flows act only while
// `current` (the MV object; may be null) has no value for the target, otherwise they count as
// IgnoreThisFlow. Every contribution carries its flow's merge type (see Contribution::merge);
// merging values across objects is flow.hpp's business. Throws expr::EvalError when an
// expression fails on this object's data.
Contributions contributions_of(std::span<const CompiledRule* const> rules, const CsContext& object,
                               const store::MvObject* current);

}  // namespace idsync::sync
