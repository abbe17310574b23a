#include "sync/contribution.hpp"

#include "sync_rules/scoping.hpp"

namespace idsync::sync {

using Kind = Contribution::Kind;

std::vector<const CompiledRule*> in_scope_rules(std::span<const CompiledRule* const> rules,
                                                const CsContext& object, std::string_view mv_type) {
  std::vector<const CompiledRule*> out;
  const sync_rules::AttributeSource source = object.attribute_source();
  for (const CompiledRule* r : rules) {
    if (!mv_type.empty() && !store::iequals(r->rule->mv_object_type, mv_type)) continue;
    if (sync_rules::in_scope(r->rule->scoping, source, object.member_of())) out.push_back(r);
  }
  return out;
}

namespace {

// Values an expression or a transform produced; NULL lets the next source speak.
Contribution from_value(const expr::Value& value) {
  Contribution c;
  if (value.is_null()) return c;
  StoredValues stored = to_stored(value);
  c.kind = Kind::values;
  c.type = stored.type;
  c.values = std::move(stored.values);
  return c;
}

// One flow's result, before the per-target reduction.
Contribution evaluate(const CompiledFlow& flow, const CsContext& object) {
  const sync_rules::Transformation& t = *flow.transformation;
  Contribution c;
  switch (t.flow) {
    case sync_rules::FlowType::kDirect:
      if (const store::Attribute* a = object.object().find(t.source)) {
        c.kind = Kind::values;
        c.type = a->type;
        c.values = a->values;
      }
      break;
    case sync_rules::FlowType::kConstant:
      if (!t.values.empty()) {
        c.kind = Kind::values;
        c.values = t.values;
      }
      break;
    case sync_rules::FlowType::kExpression: {
      expr::Result r = flow.expression->evaluate(object);
      switch (r.kind) {
        case expr::Result::Kind::values:
          c = from_value(r.value);
          break;
        case expr::Result::Kind::null:
          break;
        case expr::Result::Kind::authoritative_null:
          c.kind = Kind::authoritative_null;
          break;
        case expr::Result::Kind::ignore_this_flow:
          c.kind = Kind::ignore;
          break;
      }
      break;
    }
    case sync_rules::FlowType::kTransform:
      break;  // contributions_of expands a transform into one contribution per attribute
  }
  return c;
}

}  // namespace

namespace {

// Adds one flow's result for `target` to `out`, below what higher-precedence rules decided.
// `evaluate` runs only when the result can still matter.
// `key` is `target` in lower case.
template <typename Evaluate>
void offer(Contributions& out, const CompiledRule& r, const sync_rules::Transformation& t,
           const std::string& target, std::string key, const store::MvObject* current,
           Evaluate&& evaluate) {
  auto it = out.find(key);
  if (it != out.end() && it->second.decisive()) return;  // a higher-precedence rule won
  Contribution c;
  if (t.apply_once && current && current->find(target))
    c.kind = Kind::ignore;  // the value was set once already; leave it
  else
    c = evaluate();
  c.target = target;
  c.merge = t.merge;
  if (c.kind != Kind::null) c.rule = r.rule;
  if (it == out.end()) {
    out.emplace(std::move(key), std::move(c));
  } else if (c.kind != Kind::null) {
    // A decisive result replaces an earlier NULL or IgnoreThisFlow; an IgnoreThisFlow
    // replaces only a NULL (the earlier IgnoreThisFlow already says "keep").
    if (c.decisive() || it->second.kind == Kind::null) it->second = std::move(c);
  } else if (it->second.kind == Kind::null && c.merging()) {
    it->second.merge = c.merge;  // a merge flow fell silent: see Contribution::merge
  }
}

}  // namespace

Contributions contributions_of(std::span<const CompiledRule* const> rules, const CsContext& object,
                               const store::MvObject* current) {
  Contributions out;
  for (const CompiledRule* r : rules) {
    for (const CompiledFlow& flow : r->flows) {
      const sync_rules::Transformation& t = *flow.transformation;
      if (t.flow != sync_rules::FlowType::kTransform) {
        offer(out, *r, t, t.target, flow.target_key, current,
              [&] { return evaluate(flow, object); });
        continue;
      }
      // The attributes the transform sets are flows of this rule, at its precedence.
      for (auto& [name, value] : transform_outputs(*r, flow, object.object().object_type, object,
                                                   object.object().attributes))
        offer(out, *r, t, name, store::lowercase(name), current, [&] { return from_value(value); });
    }
  }
  return out;
}

}  // namespace idsync::sync
