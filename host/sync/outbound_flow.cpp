#include "sync/outbound_flow.hpp"

#include "sync/cs_context.hpp"

namespace idsync::sync {

namespace {

enum class Outcome { null, ignore, decided };

struct Evaluated {
  Outcome outcome = Outcome::null;
  idsync_value_type type = IDSYNC_VALUE_STRING;
  std::vector<std::string> values;  // decided: empty for AuthoritativeNull
};

// Values an expression or a transform produced; NULL decides nothing.
Evaluated decided(const expr::Value& value) {
  Evaluated e;
  if (value.is_null()) return e;
  StoredValues stored = to_stored(value);
  e.outcome = Outcome::decided;
  e.type = stored.type;
  e.values = std::move(stored.values);
  return e;
}

Evaluated evaluate(const CompiledFlow& flow, const MvContext& mv) {
  const sync_rules::Transformation& t = *flow.transformation;
  Evaluated e;
  switch (t.flow) {
    case sync_rules::FlowType::kDirect:
      if (const store::MvAttribute* a = mv.object().find(t.source)) {
        e.outcome = Outcome::decided;
        e.type = a->type;
        e.values = a->values;
      }
      break;
    case sync_rules::FlowType::kConstant:
      if (!t.values.empty()) {
        e.outcome = Outcome::decided;
        e.values = t.values;
      }
      break;
    case sync_rules::FlowType::kExpression: {
      expr::Result r = flow.expression->evaluate(mv);
      switch (r.kind) {
        case expr::Result::Kind::values:
          e = decided(r.value);
          break;
        case expr::Result::Kind::null:
          break;
        case expr::Result::Kind::authoritative_null:
          e.outcome = Outcome::decided;
          break;
        case expr::Result::Kind::ignore_this_flow:
          e.outcome = Outcome::ignore;
          break;
      }
      break;
    }
    case sync_rules::FlowType::kTransform:
      break;  // desired_object expands a transform into one result per attribute
  }
  return e;
}

bool is_dn(std::string_view target) { return store::iequals(target, "dn"); }

struct Slot {
  Outcome outcome = Outcome::null;
  const sync_rules::Transformation* transformation = nullptr;  // the first to name the target
  std::string target;  // as that flow (or transform) spells it
  Evaluated decided;
};

}  // namespace

std::vector<const CompiledRule*> outbound_in_scope(std::span<const CompiledRule* const> rules,
                                                   const MvContext& mv) {
  std::vector<const CompiledRule*> out;
  const sync_rules::AttributeSource source = mv.attribute_source();
  for (const CompiledRule* r : rules)
    if (sync_rules::in_scope(r->rule->scoping, source, {})) out.push_back(r);
  return out;
}

DesiredObject desired_object(std::span<const CompiledRule* const> rules, const MvContext& mv,
                             const TargetState* expected) {
  std::map<std::string, Slot, std::less<>> slots;  // lowercase target
  // One flow's result for `target`, below what higher-precedence rules decided; `evaluate` runs
  // only when it can still matter.
  auto offer = [&](const sync_rules::Transformation& t, const std::string& target,
                   const std::string& key, const auto& evaluate) {
    Slot& slot = slots[key];
    if (!slot.transformation) {
      slot.transformation = &t;
      slot.target = target;
    }
    if (slot.outcome == Outcome::decided) return;  // a higher-precedence rule decided
    const bool has_value =
        expected && (is_dn(target) ? !expected->dn.empty() : expected->attributes.count(key));
    Evaluated e;
    if (t.apply_once && has_value)
      e.outcome = Outcome::ignore;
    else
      e = evaluate();
    if (e.outcome == Outcome::decided) {
      slot.outcome = Outcome::decided;
      slot.transformation = &t;
      slot.target = target;
      slot.decided = std::move(e);
    } else if (e.outcome == Outcome::ignore) {
      slot.outcome = Outcome::ignore;
    }
  };
  for (const CompiledRule* r : rules) {
    for (const CompiledFlow& flow : r->flows) {
      const sync_rules::Transformation& t = *flow.transformation;
      if (t.flow != sync_rules::FlowType::kTransform) {
        offer(t, t.target, flow.target_key, [&] { return evaluate(flow, mv); });
        continue;
      }
      // The attributes the transform sets are flows of this rule, at its precedence.
      for (auto& [name, value] :
           transform_outputs(*r, flow, mv.object().object_type, mv, mv.object().attributes)) {
        offer(t, name, store::lowercase(name), [&] { return decided(value); });
      }
    }
  }
  DesiredObject out;
  for (auto& [key, slot] : slots) {
    if (slot.outcome == Outcome::ignore) continue;
    const sync_rules::Transformation& t = *slot.transformation;
    if (is_dn(slot.target)) {
      if (!slot.decided.values.empty()) out.dn = slot.decided.values.front();
      continue;
    }
    DesiredAttribute a;
    a.name = slot.target;
    a.type = slot.decided.type;
    a.values = std::move(slot.decided.values);
    a.add_only = t.merge != sync_rules::MergeMode::kUpdate;
    a.case_insensitive = t.merge == sync_rules::MergeMode::kMergeCaseInsensitive;
    out.attributes.emplace(key, std::move(a));
  }
  return out;
}

}  // namespace idsync::sync
