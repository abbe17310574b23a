#include "sync/target_state.hpp"

#include <algorithm>
#include <set>

namespace idsync::sync {

using store::AttributeDelta;
using store::ValueOp;

namespace {

void set_values(TargetAttributes& attrs, const std::string& name, idsync_value_type type,
                std::vector<std::string> values) {
  std::string key = store::lowercase(name);
  if (values.empty()) {
    attrs.erase(key);
    return;
  }
  auto& a = attrs[key];
  if (a.name.empty()) a.name = name;
  a.type = type;
  a.values = std::move(values);
}

void apply_delta(TargetAttributes& attrs, const AttributeDelta& d) {
  if (d.op == ValueOp::replace) return set_values(attrs, d.name, d.type, d.values);
  auto it = attrs.find(store::lowercase(d.name));
  std::vector<std::string> values =
      it == attrs.end() ? std::vector<std::string>() : it->second.values;
  for (const std::string& v : d.values) {
    auto at = std::find(values.begin(), values.end(), v);
    if (d.op == ValueOp::add && at == values.end()) values.push_back(v);
    if (d.op == ValueOp::remove && at != values.end()) values.erase(at);
  }
  set_values(attrs, d.name, d.type, std::move(values));
}

bool contains(const std::vector<std::string>& values, const std::string& v, bool ci) {
  return std::any_of(values.begin(), values.end(),
                     [&](const std::string& x) { return ci ? store::iequals(x, v) : x == v; });
}

}  // namespace

TargetState expected_state(const std::optional<store::CsObject>& cs,
                           const std::optional<store::ExportConfirm>& confirm,
                           const std::optional<store::PendingExport>& pending) {
  TargetState s;
  if (cs) {
    s.dn = cs->dn;
    for (const store::Attribute& a : cs->attributes)
      set_values(s.attributes, a.name, a.type, a.values);
  }
  if (confirm) {
    if (!confirm->dn.empty()) s.dn = confirm->dn;
    for (const store::Attribute& a : confirm->attributes)
      set_values(s.attributes, a.name, a.type, a.values);
  }
  if (pending) {
    switch (pending->kind) {
      case store::ExportKind::add:
      case store::ExportKind::remove_add:
        s.attributes.clear();
        if (!pending->dn.empty()) s.dn = pending->dn;
        for (const AttributeDelta& d : pending->attributes) apply_delta(s.attributes, d);
        break;
      case store::ExportKind::update:
        for (const AttributeDelta& d : pending->attributes) apply_delta(s.attributes, d);
        if (!pending->new_dn.empty()) s.dn = pending->new_dn;
        break;
      case store::ExportKind::remove:
        s.attributes.clear();
        break;
    }
  }
  return s;
}

std::vector<AttributeDelta> attribute_deltas(const TargetState& expected,
                                             const DesiredAttributes& desired) {
  std::vector<AttributeDelta> out;
  static const std::vector<std::string> kNone;
  for (const auto& [key, want] : desired) {
    auto it = expected.attributes.find(key);
    const std::vector<std::string>& have =
        it == expected.attributes.end() ? kNone : it->second.values;
    const bool ci = want.case_insensitive;
    std::vector<std::string> adds;
    for (const std::string& v : want.values)
      if (!contains(have, v, ci) && !contains(adds, v, ci)) adds.push_back(v);
    std::vector<std::string> removes;
    if (!want.add_only)
      for (const std::string& v : have)
        if (!contains(want.values, v, ci)) removes.push_back(v);
    if (adds.empty() && removes.empty()) continue;
    if (!want.add_only && have.size() <= 1 && want.values.size() <= 1) {
      out.push_back({want.name, want.type, ValueOp::replace, want.values});
      continue;
    }
    std::sort(adds.begin(), adds.end());
    std::sort(removes.begin(), removes.end());
    if (!adds.empty()) out.push_back({want.name, want.type, ValueOp::add, std::move(adds)});
    if (!removes.empty())
      out.push_back({want.name, want.type, ValueOp::remove, std::move(removes)});
  }
  return out;  // `desired` is keyed by lowercase name, so the deltas are in name order
}

std::vector<AttributeDelta> initial_values(const DesiredAttributes& desired) {
  std::vector<AttributeDelta> out;
  for (const auto& [key, want] : desired)
    if (!want.values.empty()) out.push_back({want.name, want.type, ValueOp::replace, want.values});
  return out;
}

}  // namespace idsync::sync
