#include "store/export_merge.hpp"

#include <algorithm>
#include <string_view>
#include <unordered_set>

#include "store/cs_object.hpp"

namespace idsync::store {

namespace {

using ViewSet = std::unordered_set<std::string_view>;

// Up to this many values, a linear search beats building a hash set: most attributes have
// one value, and a provisioning add passes every one of them through here.
constexpr size_t kLinearSearch = 16;

bool contains(const std::vector<std::string>& vs, const std::string& v) {
  return std::find(vs.begin(), vs.end(), v) != vs.end();
}

// Appends the values of `vs` missing from `to`. Reserving first keeps the views into `to`
// valid while appending.
void union_into(std::vector<std::string>& to, const std::vector<std::string>& vs) {
  to.reserve(to.size() + vs.size());
  if (to.size() + vs.size() <= kLinearSearch) {
    for (const auto& v : vs)
      if (!contains(to, v)) to.push_back(v);
    return;
  }
  ViewSet have(to.begin(), to.end());
  for (const auto& v : vs)
    if (have.insert(v).second) to.push_back(v);
}

void subtract(std::vector<std::string>& from, const std::vector<std::string>& vs) {
  if (from.empty() || vs.empty()) return;
  if (vs.size() <= kLinearSearch) {
    std::erase_if(from, [&](const std::string& v) { return contains(vs, v); });
    return;
  }
  const ViewSet gone(vs.begin(), vs.end());
  std::erase_if(from, [&](const std::string& v) { return gone.count(v) > 0; });
}

std::vector<std::string> unique_values(const std::vector<std::string>& vs) {
  std::vector<std::string> out;
  union_into(out, vs);
  return out;
}

// Adds `vs` to `mine`, except those pending in `opposite`, which cancel instead (an add of a
// value whose removal is pending, or the reverse).
void add_cancelling(std::vector<std::string>& mine, std::vector<std::string>& opposite,
                    const std::vector<std::string>& vs) {
  ViewSet cancelled;
  {
    const ViewSet pending(opposite.begin(), opposite.end());
    mine.reserve(mine.size() + vs.size());
    ViewSet have(mine.begin(), mine.end());
    for (const auto& v : vs) {
      if (pending.count(v)) {
        cancelled.insert(v);
        continue;
      }
      if (have.insert(v).second) mine.push_back(v);
    }
  }
  if (!cancelled.empty())
    std::erase_if(opposite, [&](const std::string& v) { return cancelled.count(v) > 0; });
}

// One attribute's pending change while merging.
struct AttrState {
  std::string name;
  idsync_value_type type = IDSYNC_VALUE_STRING;
  bool replace = false;
  std::vector<std::string> values;  // replace: the new values
  std::vector<std::string> adds;
  std::vector<std::string> removes;
};

AttrState& state_of(std::vector<AttrState>& states, const AttributeDelta& d) {
  for (auto& s : states)
    if (iequals(s.name, d.name)) return s;
  AttrState& s = states.emplace_back();
  s.name = d.name;
  s.type = d.type;
  return s;
}

// An update's delta onto an update's state (the rules in the header).
void apply_update_delta(AttrState& s, const AttributeDelta& d) {
  s.type = d.type;
  switch (d.op) {
    case ValueOp::replace:
      s.replace = true;
      s.values = unique_values(d.values);
      s.adds.clear();
      s.removes.clear();
      return;
    case ValueOp::add:
      if (s.replace)
        union_into(s.values, d.values);
      else
        add_cancelling(s.adds, s.removes, d.values);
      return;
    case ValueOp::remove:
      if (s.replace)
        subtract(s.values, d.values);
      else
        add_cancelling(s.removes, s.adds, d.values);
      return;
  }
}

// An update's delta folded into the initial values of an add.
void fold_into_add(AttrState& s, const AttributeDelta& d) {
  s.type = d.type;
  s.replace = true;
  switch (d.op) {
    case ValueOp::replace:
      s.values = unique_values(d.values);
      return;
    case ValueOp::add:
      union_into(s.values, d.values);
      return;
    case ValueOp::remove:
      subtract(s.values, d.values);
      return;
  }
}

std::vector<AttrState> states_of(const PendingExport& pe, bool as_add) {
  std::vector<AttrState> states;
  for (const auto& d : pe.attributes) {
    AttrState& s = state_of(states, d);
    if (as_add)
      fold_into_add(s, d);
    else
      apply_update_delta(s, d);
  }
  return states;
}

// Back to canonical deltas: sorted by name, then replace, add, remove; empty ones dropped (an
// add's attribute without values is absent; an update's replace with none clears it).
std::vector<AttributeDelta> deltas_of(std::vector<AttrState>& states, bool as_add) {
  std::stable_sort(states.begin(), states.end(),
                   [](const AttrState& a, const AttrState& b) { return iless(a.name, b.name); });
  std::vector<AttributeDelta> out;
  for (auto& s : states) {
    if (s.replace) {
      if (as_add && s.values.empty()) continue;
      out.push_back({s.name, s.type, ValueOp::replace, std::move(s.values)});
      continue;
    }
    if (!s.adds.empty()) out.push_back({s.name, s.type, ValueOp::add, std::move(s.adds)});
    if (!s.removes.empty()) out.push_back({s.name, s.type, ValueOp::remove, std::move(s.removes)});
  }
  return out;
}

bool is_add(ExportKind k) { return k == ExportKind::add || k == ExportKind::remove_add; }

bool has_unique_values(const std::vector<std::string>& vs) {
  if (vs.size() <= kLinearSearch) {
    for (size_t i = 1; i < vs.size(); ++i)
      if (std::find(vs.begin(), vs.begin() + static_cast<std::ptrdiff_t>(i), vs[i]) !=
          vs.begin() + static_cast<std::ptrdiff_t>(i))
        return false;
    return true;
  }
  ViewSet seen;
  for (const auto& v : vs)
    if (!seen.insert(v).second) return false;
  return true;
}

// Whether an add's deltas are already what canonical_add makes of them: replaces with unique
// values, none empty, strictly in name order. Provisioning builds its adds that way, and every
// object provisioned passes through here.
bool is_canonical_add(const std::vector<AttributeDelta>& deltas) {
  for (size_t i = 0; i < deltas.size(); ++i) {
    const AttributeDelta& d = deltas[i];
    if (d.op != ValueOp::replace || d.values.empty() || !has_unique_values(d.values)) return false;
    if (i > 0 && !iless(deltas[i - 1].name, d.name)) return false;
  }
  return true;
}

// The incoming add, normalised: its deltas as initial values.
PendingExport canonical_add(PendingExport in, ExportKind kind) {
  in.kind = kind;
  in.new_dn.clear();
  if (is_canonical_add(in.attributes)) return in;
  auto states = states_of(in, true);
  in.attributes = deltas_of(states, true);
  return in;
}

void keep_bookkeeping(PendingExport& out, const PendingExport& existing,
                      const PendingExport& incoming) {
  out.created_unix_ms = existing.created_unix_ms;
  out.attempts = existing.attempts;
  out.last_error = existing.last_error;
  out.updated_unix_ms = incoming.updated_unix_ms;
}

}  // namespace

PendingExport first_pending_add(PendingExport add) {
  const ExportKind kind = add.kind;
  return canonical_add(std::move(add), kind);
}

std::optional<PendingExport> merge_pending_export(const std::optional<PendingExport>& existing,
                                                  const PendingExport& incoming) {
  if (!existing) {
    if (is_add(incoming.kind)) return canonical_add(incoming, incoming.kind);
    if (incoming.kind == ExportKind::remove) return incoming;
    PendingExport empty;
    empty.kind = ExportKind::update;
    empty.object_type = incoming.object_type;
    empty.dn = incoming.dn;
    empty.created_unix_ms = incoming.created_unix_ms;
    return merge_pending_export(empty, incoming);
  }
  const PendingExport& e = *existing;
  PendingExport out;

  if (incoming.kind == ExportKind::remove) {
    // An add the target never saw needs no delete; an attempted one might have landed.
    if (e.kind == ExportKind::add && e.attempts == 0) return std::nullopt;
    if (e.kind == ExportKind::remove) return e;
    out = e;
    out.kind = ExportKind::remove;
    out.attributes.clear();
    // The object is deleted under the DN the target knows: the pending rename never happened.
    out.new_dn.clear();
    keep_bookkeeping(out, e, incoming);
    return out;
  }

  if (is_add(incoming.kind)) {
    const ExportKind kind = (e.kind == ExportKind::remove || e.kind == ExportKind::remove_add)
                                ? ExportKind::remove_add
                                : ExportKind::add;
    out = canonical_add(incoming, kind);
    keep_bookkeeping(out, e, incoming);
    return out;
  }

  // An update.
  if (e.kind == ExportKind::remove) return e;
  out = e;
  keep_bookkeeping(out, e, incoming);
  if (is_add(e.kind)) {
    auto states = states_of(e, true);
    for (const auto& d : incoming.attributes) fold_into_add(state_of(states, d), d);
    out.attributes = deltas_of(states, true);
    if (!incoming.new_dn.empty()) out.dn = incoming.new_dn;  // created under its final name
    return out;
  }
  auto states = states_of(e, false);
  for (const auto& d : incoming.attributes) apply_update_delta(state_of(states, d), d);
  out.attributes = deltas_of(states, false);
  if (!incoming.new_dn.empty()) out.new_dn = incoming.new_dn == e.dn ? "" : incoming.new_dn;
  if (out.attributes.empty() && out.new_dn.empty()) return std::nullopt;
  return out;
}

}  // namespace idsync::store
