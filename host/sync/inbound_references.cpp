#include "sync/inbound_references.hpp"

#include <algorithm>
#include <iterator>
#include <unordered_set>

#include "store/connector_space.hpp"
#include "store/mv_object.hpp"

namespace idsync::sync {

std::optional<InboundReferences::Named> InboundReferences::resolve_named(uint32_t connector_id,
                                                                         std::string_view value) {
  // A DN first (the usual case, and what directories send); a DN-less connector's references
  // are anchors.
  const store::ConnectorSpace cs(store_, connector_id);
  if (auto anchor = cs.anchor_by_dn(value))
    if (auto id = overlay_.mv_of(connector_id, *anchor)) return Named{std::move(*anchor), *id};
  if (auto id = overlay_.mv_of(connector_id, value)) return Named{std::string(value), *id};
  return std::nullopt;
}

std::optional<uint64_t> InboundReferences::resolve_one(uint32_t connector_id,
                                                       std::string_view value) {
  if (auto named = resolve_named(connector_id, value)) return named->mv_id;
  return std::nullopt;
}

void InboundReferences::resolve(Contributions& contributions, uint32_t connector_id,
                                rocksdb::WriteBatch* batch, std::string_view holder) {
  for (auto& [key, c] : contributions) {
    if (c.kind != Contribution::Kind::values || c.type != IDSYNC_VALUE_REFERENCE) continue;
    std::vector<uint64_t> ids;
    for (const std::string& value : c.values) {
      if (auto id = resolve_one(connector_id, value))
        ids.push_back(*id);
      else if (batch)
        wait(*batch, connector_id, value, holder);
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    c.values.clear();
    for (uint64_t id : ids) c.values.push_back(store::mv_key(id));
    if (c.values.empty()) c.kind = Contribution::Kind::null;
  }
}

void InboundReferences::wait(rocksdb::WriteBatch& batch, uint32_t connector_id,
                             std::string_view value, std::string_view holder) {
  waits_.wait(batch, store::ReferenceWaits::inbound_target(connector_id, value), holder);
  ++waits_recorded_;
}

namespace {

// The CS attribute a Direct flow (merge type Update, not "apply once") of the deciding rule
// fills the contribution from; null for any other kind of flow, or when the rule has a
// transform that might set the attribute too.
const sync_rules::Transformation* direct_source(const Contribution& c) {
  const sync_rules::Transformation* found = nullptr;
  for (const sync_rules::Transformation& t : c.rule->transformations) {
    if (t.flow == sync_rules::FlowType::kTransform) return nullptr;
    if (!store::iequals(t.target, c.target)) continue;
    if (found || t.flow != sync_rules::FlowType::kDirect || t.apply_once ||
        t.merge != sync_rules::MergeMode::kUpdate)
      return nullptr;
    found = &t;
  }
  return found;
}

// The values a CS attribute holds after the import, asked whether one still names an object:
// by its anchor (exactly) or its DN (ignoring ASCII case, as the DN index does). A few
// questions scan the values; many build sets once. Either costs a pass over the values, not a
// lookup per value.
class ValuesNow {
 public:
  ValuesNow(const std::vector<std::string>* values, size_t questions)
      : values_(values), use_sets_(questions > kScanned) {}
  bool any() const { return values_ && !values_->empty(); }
  bool holds_anchor(const std::string& anchor) {
    if (!any()) return false;
    if (!use_sets_) return std::find(values_->begin(), values_->end(), anchor) != values_->end();
    build();
    return exact_.count(anchor) > 0;
  }
  bool holds_dn(std::string_view dn) {
    if (!any()) return false;
    if (!use_sets_)
      return std::any_of(values_->begin(), values_->end(),
                         [&](const std::string& v) { return store::iequals(v, dn); });
    build();
    return lower_.count(store::lowercase(dn)) > 0;
  }

 private:
  static constexpr size_t kScanned = 16;
  void build() {
    if (built_) return;
    built_ = true;
    for (const std::string& v : *values_) {
      exact_.insert(v);
      lower_.insert(store::lowercase(v));
    }
  }
  const std::vector<std::string>* values_;
  const bool use_sets_;
  bool built_ = false;
  std::unordered_set<std::string> exact_, lower_;
};

}  // namespace

Contributions InboundReferences::resolve_changes(Contributions& contributions,
                                                 const store::CsObject& object,
                                                 const store::MvObject& current,
                                                 uint32_t connector_id, rocksdb::WriteBatch* batch,
                                                 std::string_view holder,
                                                 std::vector<store::ValueChange>& changes) {
  Contributions out;
  if (object.value_changes.empty()) return out;
  for (auto it = contributions.begin(); it != contributions.end();) {
    Contribution& c = it->second;
    const store::MvAttribute* held = current.find(c.target);
    const sync_rules::Transformation* flow =
        c.kind == Contribution::Kind::values && c.type == IDSYNC_VALUE_REFERENCE && held
            ? direct_source(c)
            : nullptr;
    const store::ValueChange* change = flow ? object.value_change(flow->source) : nullptr;
    if (!change || held->provenance.connector_id != connector_id ||
        held->provenance.rule != c.rule->name || held->type != IDSYNC_VALUE_REFERENCE) {
      ++it;
      continue;
    }
    std::vector<std::string> removed;
    bool resolved = true;
    const store::Attribute* now = object.find(flow->source);
    ValuesNow values_now(now ? &now->values : nullptr, change->removed.size());
    for (const std::string& value : change->removed) {
      const std::optional<Named> named = resolve_named(connector_id, value);
      if (!named) {
        resolved = false;
        break;
      }
      // Another value may name the same object (its anchor beside its DN, or its DN in
      // another letter case): then the object stays a member.
      if (values_now.holds_anchor(named->anchor)) continue;
      if (values_now.any()) {
        const auto target = store::ConnectorSpace(store_, connector_id).get(named->anchor);
        if (target && !target->dn.empty() && values_now.holds_dn(target->dn)) continue;
      }
      removed.push_back(store::mv_key(named->mv_id));
    }
    if (!resolved) {
      ++it;
      continue;
    }
    std::vector<std::string> added;
    for (const std::string& value : change->added) {
      if (auto id = resolve_one(connector_id, value))
        added.push_back(store::mv_key(*id));
      else if (batch)
        wait(*batch, connector_id, value, holder);
    }
    std::sort(added.begin(), added.end());
    added.erase(std::unique(added.begin(), added.end()), added.end());
    std::sort(removed.begin(), removed.end());
    removed.erase(std::unique(removed.begin(), removed.end()), removed.end());
    // The previous values are sorted MV keys (resolve() leaves them so), and so is the result:
    // the removed ones go, then the added ones come (one reference removed and another added
    // may name the same object).
    const std::vector<std::string>& before = held->values;
    store::ValueChange effective;
    effective.name = c.target;
    std::set_difference(added.begin(), added.end(), before.begin(), before.end(),
                        std::back_inserter(effective.added));
    std::vector<std::string> gone;
    std::set_intersection(removed.begin(), removed.end(), before.begin(), before.end(),
                          std::back_inserter(gone));
    std::set_difference(gone.begin(), gone.end(), added.begin(), added.end(),
                        std::back_inserter(effective.removed));
    std::vector<std::string> kept;
    std::set_difference(before.begin(), before.end(), effective.removed.begin(),
                        effective.removed.end(), std::back_inserter(kept));
    std::vector<std::string> merged;
    std::set_union(kept.begin(), kept.end(), effective.added.begin(), effective.added.end(),
                   std::back_inserter(merged));
    c.values = std::move(merged);
    if (c.values.empty()) c.kind = Contribution::Kind::null;
    changes.push_back(std::move(effective));
    out.insert(contributions.extract(it++));
  }
  return out;
}

std::vector<std::string> InboundReferences::linked(rocksdb::WriteBatch& batch,
                                                   uint32_t connector_id,
                                                   const store::CsObject& object) {
  std::vector<std::string> holders =
      waits_.take(batch, store::ReferenceWaits::inbound_target(connector_id, object.anchor));
  if (!object.dn.empty())
    for (std::string& h :
         waits_.take(batch, store::ReferenceWaits::inbound_target(connector_id, object.dn)))
      if (std::find(holders.begin(), holders.end(), h) == holders.end())
        holders.push_back(std::move(h));
  return holders;
}

}  // namespace idsync::sync
