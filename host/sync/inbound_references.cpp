#include "sync/inbound_references.hpp"

#include <algorithm>
#include <iterator>

#include "store/connector_space.hpp"
#include "store/mv_object.hpp"

namespace idsync::sync {

std::optional<uint64_t> InboundReferences::resolve_one(uint32_t connector_id,
                                                       std::string_view value) {
  // A DN first (the usual case, and what directories send); a DN-less connector's references
  // are anchors.
  const store::ConnectorSpace cs(store_, connector_id);
  if (auto anchor = cs.anchor_by_dn(value))
    if (auto id = overlay_.mv_of(connector_id, *anchor)) return id;
  return overlay_.mv_of(connector_id, value);
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
    for (const std::string& value : change->removed) {
      auto id = resolve_one(connector_id, value);
      if (!id) {
        resolved = false;
        break;
      }
      removed.push_back(store::mv_key(*id));
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
