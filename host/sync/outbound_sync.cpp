#include "sync/outbound_sync.hpp"

#include <algorithm>
#include <chrono>
#include <optional>

#include "exporter/provisional_anchor.hpp"
#include "expressions/errors.hpp"
#include "store/codec.hpp"
#include "store/connector_space.hpp"
#include "store/dirty_attributes.hpp"
#include "store/export_confirm.hpp"
#include "store/export_merge.hpp"
#include "store/links.hpp"
#include "store/metaverse.hpp"
#include "store/pending_export.hpp"
#include "store/reference_index.hpp"
#include "sync/mv_context.hpp"
#include "sync/outbound_flow.hpp"
#include "sync/target_state.hpp"

namespace idsync::sync {

using store::Family;
using store::PendingExport;

// What one MV object's outbound evaluation decided, computed before anything is written so that
// an error part-way leaves nothing of the object in the batch.
struct OutboundSync::Plan {
  struct Provision {
    uint32_t connector_id = 0;
    std::string anchor;
    std::string cs_object_type;
    std::string dn;
    std::vector<store::AttributeDelta> values;
    bool awaiting_add = false;  // under its final anchor (store::CsObject::awaiting_add)
  };
  struct Update {
    uint32_t connector_id = 0;
    std::string anchor;
    PendingExport delta;
    std::optional<PendingExport> pending;  // the committed pending export, as planned against
  };
  struct Deprovision {
    uint32_t connector_id = 0;
    std::string anchor;
    std::string cs_object_type;
    std::string dn;
    bool forget = false;  // provisioned, never exported: withdraw instead of deleting
    std::optional<PendingExport> pending;  // the committed pending export
  };
  struct Disconnect {
    uint32_t connector_id = 0;
    std::string anchor;
    // Left by the rule's deprovisioning: an explicit disconnector, which join rules must not
    // join again (the confirming import would otherwise bring it straight back).
    bool explicit_disconnector = false;
  };

  uint64_t mv_id = 0;
  std::vector<Provision> provisions;
  std::vector<Update> updates;
  std::vector<Deprovision> deprovisions;
  std::vector<Disconnect> disconnects;
  std::vector<std::pair<uint32_t, uint64_t>> waits;  // (connector, MV id) referenced, not there
  bool purge = false;
  store::MvObject purged;  // with purge: the object as it goes, for its reference entries
};

namespace {
// Passes over the marks: the first, and again while objects provisioned in a pass were awaited
// by references of objects the pass had already evaluated (a member provisioned after its
// group). What is left waits in its marks for the next sync.
constexpr int kReferenceRounds = 4;
// Marks a run must have consumed before it compacts mv_dirty (Store::compact).
constexpr uint64_t kCompactAfter = 10000;
}  // namespace

namespace {

expr::TimePoint time_point(int64_t unix_ms) {
  return expr::TimePoint(std::chrono::microseconds(unix_ms * 1000));
}

bool provision_in_scope(const std::vector<const CompiledRule*>& scoped) {
  for (const CompiledRule* r : scoped)
    if (r->rule->link_type == sync_rules::LinkType::kProvision) return true;
  return false;
}

// A target attribute that a value change of an MV attribute reaches alone: the one flow into
// it (among every rule in scope) is a Direct flow from that MV attribute, merge type Update,
// not "apply once", and no rule has a transform (which may set anything).
struct ByValue {
  std::string target;  // lowercase
  const store::ValueChange* change = nullptr;
};

std::vector<ByValue> by_value_targets(std::span<const CompiledRule* const> rules,
                                      const store::DirtySet& marks) {
  std::vector<ByValue> out;
  if (marks.object || marks.value_changes.empty()) return out;
  for (const CompiledRule* r : rules)
    for (const sync_rules::Transformation& t : r->rule->transformations)
      if (t.flow == sync_rules::FlowType::kTransform) return out;
  for (const store::ValueChange& change : marks.value_changes) {
    for (const CompiledRule* r : rules)
      for (const sync_rules::Transformation& t : r->rule->transformations) {
        if (t.flow != sync_rules::FlowType::kDirect || !store::iequals(t.source, change.name) ||
            t.apply_once || t.merge != sync_rules::MergeMode::kUpdate ||
            store::iequals(t.target, "dn"))
          continue;
        int flows_into_target = 0;
        for (const CompiledRule* other : rules)
          for (const sync_rules::Transformation& u : other->rule->transformations)
            if (store::iequals(u.target, t.target)) ++flows_into_target;
        if (flows_into_target == 1) out.push_back({store::lowercase(t.target), &change});
      }
  }
  return out;
}

const CompiledRule* first_provision(const std::vector<const CompiledRule*>& scoped) {
  for (const CompiledRule* r : scoped)
    if (r->rule->link_type == sync_rules::LinkType::kProvision) return r;
  return nullptr;
}

}  // namespace

OutboundSync::OutboundSync(store::Store& store, const sync_rules::RuleSet& rules,
                           OutboundOptions options)
    : store_(store),
      options_(std::move(options)),
      catalog_(rules, store, options_.functions),
      refs_(store) {
  start_clock();
}

void OutboundSync::start_clock() {
  now_ms_ = options_.now_unix_ms.value_or(std::chrono::duration_cast<std::chrono::milliseconds>(
                                              std::chrono::system_clock::now().time_since_epoch())
                                              .count());
}

bool OutboundSync::evaluate_in_batch(rocksdb::WriteBatch& batch, const store::MvObject& mv,
                                     const store::DirtySet& marks,
                                     const std::vector<store::Link>& links,
                                     uint32_t inbound_connector) {
  if (mv.deleted || catalog_.target(mv.object_type, inbound_connector)) return false;
  Plan plan;
  plan.mv_id = mv.id;
  try {
    plan_object(plan, mv, &marks, links);
  } catch (const expr::EvalError&) {
    return false;
  }
  ++result_.objects;
  apply(batch, std::move(plan));
  return true;
}

void OutboundSync::plan_object(Plan& plan, const store::MvObject& mv, const store::DirtySet* marks,
                               const std::vector<store::Link>& links) {
  const MvContext ctx(mv, time_point(now_ms_));
  auto linked_anchor = [&](uint32_t connector_id) -> const std::string* {
    for (const store::Link& l : links)
      if (l.connector_id == connector_id) return &l.anchor;
    return nullptr;
  };

  // The value-level update that takes a linked target object from `expected` to what `rules`
  // want; nothing when they agree. Renames only with `rename` (deprovisioning keeps the DN).
  auto plan_update = [&](const OutboundTarget& target, const std::string& anchor,
                         const std::string& cs_type, const TargetState& expected,
                         const std::optional<PendingExport>& pending,
                         std::span<const CompiledRule* const> rules, bool rename,
                         const store::DirtySet* marks) {
    const uint32_t connector_id = target.connector_id;
    DesiredObject want = desired_object(rules, ctx, &expected);
    // A secret (an initial password) goes with the ADD only: the target never shows it, so
    // every update would otherwise send it again.
    std::erase_if(want.attributes,
                  [&](const auto& entry) { return target.secrets.contains(entry.first); });
    // Reference attributes a value change reaches alone: that change, not the whole list.
    std::vector<store::AttributeDelta> by_value;
    std::vector<uint64_t> missing;
    for (const ByValue& b : marks ? by_value_targets(rules, *marks) : std::vector<ByValue>()) {
      auto it = want.attributes.find(b.target);
      if (it == want.attributes.end() || it->second.type != IDSYNC_VALUE_REFERENCE ||
          it->second.add_only)
        continue;
      auto held = expected.attributes.find(b.target);
      auto deltas = refs_.translate_change(
          *b.change, connector_id, it->second.name,
          held == expected.attributes.end() ? nullptr : &held->second, missing);
      if (!deltas) continue;  // the whole list decides
      want.attributes.erase(it);
      by_value.insert(by_value.end(), deltas->begin(), deltas->end());
    }
    for (uint64_t t : missing) plan.waits.emplace_back(connector_id, t);
    for (uint64_t t : refs_.translate(want.attributes, connector_id))
      plan.waits.emplace_back(connector_id, t);
    Plan::Update u;
    u.connector_id = connector_id;
    u.anchor = anchor;
    u.pending = pending;
    u.delta.kind = store::ExportKind::update;
    u.delta.object_type = cs_type;
    u.delta.dn = expected.dn;
    if (rename && want.dn && !want.dn->empty() && !expected.dn.empty() && *want.dn != expected.dn)
      u.delta.new_dn = *want.dn;
    u.delta.attributes = attribute_deltas(expected, want.attributes);
    if (!by_value.empty()) {
      u.delta.attributes.insert(u.delta.attributes.end(), by_value.begin(), by_value.end());
      // The order a PendingExport keeps: by name, then replace, add, remove.
      std::stable_sort(u.delta.attributes.begin(), u.delta.attributes.end(),
                       [](const store::AttributeDelta& a, const store::AttributeDelta& b) {
                         if (!store::iequals(a.name, b.name)) return store::iless(a.name, b.name);
                         return a.op < b.op;
                       });
    }
    if (u.delta.attributes.empty() && u.delta.new_dn.empty()) return;
    u.delta.created_unix_ms = now_ms_;
    u.delta.updated_unix_ms = now_ms_;
    plan.updates.push_back(std::move(u));
  };

  for (const OutboundTarget& target : catalog_.targets(mv.object_type)) {
    const std::string* anchor = linked_anchor(target.connector_id);
    const std::vector<const CompiledRule*> scoped =
        mv.deleted ? std::vector<const CompiledRule*>() : outbound_in_scope(target.rules, ctx);
    if (!anchor) {
      const CompiledRule* provision = mv.deleted ? nullptr : first_provision(scoped);
      if (!provision) continue;
      DesiredObject want = desired_object(scoped, ctx, nullptr);
      for (uint64_t t : refs_.translate(want.attributes, target.connector_id))
        plan.waits.emplace_back(target.connector_id, t);
      Plan::Provision p;
      p.connector_id = target.connector_id;
      p.cs_object_type = provision->rule->cs_object_type;
      p.dn = want.dn.value_or(std::string());
      p.values = initial_values(want.attributes);
      p.anchor = final_anchor(target, p.cs_object_type, p.values);
      p.awaiting_add = !p.anchor.empty();
      if (!p.awaiting_add) p.anchor = exporter::make_provisional_anchor(std::to_string(mv.id));
      plan.provisions.push_back(std::move(p));
      continue;
    }

    const TargetRecords records = target_records(target.connector_id, *anchor);
    std::optional<store::CsObject> object;
    if (records.cs) store::decode_cs_object(*anchor, *records.cs, object.emplace());
    std::optional<PendingExport> pending;
    if (records.pending) store::decode_pending_export(*records.pending, pending.emplace());
    std::optional<store::ExportConfirm> confirm;
    if (records.confirm) store::decode_export_confirm(*records.confirm, confirm.emplace());
    const TargetState expected = expected_state(object, confirm, pending);
    const std::string cs_type = object    ? object->object_type
                                : pending ? pending->object_type
                                          : target.cs_object_type;

    if (mv.deleted || (target.provisions && !provision_in_scope(scoped))) {
      if (!target.provisions) {
        plan.disconnects.push_back({target.connector_id, *anchor});
        continue;
      }
      // An object never exported is withdrawn whatever the rule says: it is not there to keep.
      const bool exported =
          !exporter::is_provisional_anchor(*anchor) && !(object && object->awaiting_add);
      if (exported && target.deprovision == sync_rules::DeprovisionAction::kDisconnect) {
        plan.disconnects.push_back({target.connector_id, *anchor, true});
        continue;
      }
      if (exported && target.deprovision == sync_rules::DeprovisionAction::kUpdate) {
        // One last update from the rule's deprovisioning transformations (on the tombstone's
        // values when the MV object is deleted), then the object is no longer managed.
        const CompiledRule* flows[] = {target.deprovision_update};
        plan_update(target, *anchor, cs_type, expected, pending, flows, false, nullptr);
        plan.disconnects.push_back({target.connector_id, *anchor, true});
        continue;
      }
      Plan::Deprovision d;
      d.connector_id = target.connector_id;
      d.anchor = *anchor;
      d.cs_object_type = cs_type;
      d.dn = expected.dn;
      d.forget = !exported;
      d.pending = pending;
      plan.deprovisions.push_back(std::move(d));
      continue;
    }
    if (scoped.empty()) continue;  // a Join-only target out of scope: nothing flows

    plan_update(target, *anchor, cs_type, expected, pending, scoped, true, marks);
  }

  if (mv.deleted) {
    // Links to connectors that have no outbound rules for the type: nothing to deprovision
    // there, but a tombstone keeps no links.
    for (const store::Link& l : links)
      if (!catalog_.target(mv.object_type, l.connector_id))
        plan.disconnects.push_back({l.connector_id, l.anchor});
    plan.purge = true;
    plan.purged = mv;
  }
}

TargetRecords OutboundSync::target_records(uint32_t connector_id, const std::string& anchor) const {
  const std::string key = store::connector_key(connector_id, anchor);
  if (auto it = prefetched_.find(key); it != prefetched_.end()) return it->second;
  return {store_.get(Family::cs, key), store_.get(Family::pending_export, key),
          store_.get(Family::export_confirm, key)};
}

void OutboundSync::target_keys(const store::MvObject& mv, const std::vector<store::Link>& links,
                               std::vector<std::string>& keys) const {
  for (const OutboundTarget& target : catalog_.targets(mv.object_type))
    for (const store::Link& l : links)
      if (l.connector_id == target.connector_id)
        keys.push_back(store::connector_key(l.connector_id, l.anchor));
}

void OutboundSync::adopt_targets(common::StringMap<TargetRecords>&& targets) {
  if (prefetched_.empty())
    prefetched_ = std::move(targets);
  else
    prefetched_.merge(targets);
}

void OutboundSync::prefetch_targets(const std::vector<Evaluating>& objects) {
  std::vector<std::string> targets;  // connector_key of each linked target object
  for (const Evaluating& e : objects) target_keys(*e.mv, *e.links, targets);
  std::erase_if(targets, [&](const std::string& key) { return prefetched_.count(key) > 0; });
  read_target_records(store_, std::move(targets), prefetched_);
}

std::string OutboundSync::final_anchor(const OutboundTarget& target,
                                       std::string_view cs_object_type,
                                       const std::vector<store::AttributeDelta>& values) {
  const std::string* attribute = target.add_named_anchors.attribute_of(cs_object_type);
  if (!attribute) return {};
  const auto carried = std::find_if(
      values.begin(), values.end(),
      [&](const store::AttributeDelta& d) { return store::iequals(d.name, *attribute); });
  // The ADD names its anchor only with one plain value; a reference is translated per system.
  if (carried == values.end() || carried->values.size() != 1 || carried->values[0].empty() ||
      carried->type == IDSYNC_VALUE_REFERENCE)
    return {};
  const std::string& anchor = carried->values[0];
  // An anchor some object holds already (imported, or provisioned earlier in this batch) is
  // not taken over: the provisional anchor keeps the two apart, as it always did, and the
  // export's result or a join reconciles them.
  std::string key = store::connector_key(target.connector_id, anchor);
  if (claimed_anchors_.count(key) || store_.get(Family::cs, key)) return {};
  claimed_anchors_.insert(std::move(key));
  return anchor;
}

void OutboundSync::end_evaluations(rocksdb::WriteBatch& batch) {
  prefetched_.clear();
  claimed_anchors_.clear();
  if (dn_entries_.empty()) return;
  std::vector<Family> families(dn_entries_.size(), Family::cs_dn);
  std::vector<std::string> keys;
  keys.reserve(dn_entries_.size());
  for (const DnEntry& e : dn_entries_)
    keys.push_back(store::ConnectorSpace(store_, e.connector_id).dn_key(e.dn));
  const auto held = store_.multi_get(families, keys);
  // Two objects of the batch provisioned under one DN: the first holds it, as it would when
  // they were provisioned in two batches.
  std::unordered_set<std::string_view> put;
  for (size_t i = 0; i < keys.size(); ++i)
    if (!held[i] && put.insert(keys[i]).second)
      batch.Put(store_.family(Family::cs_dn), keys[i], dn_entries_[i].anchor);
  dn_entries_.clear();
}

void OutboundSync::apply(rocksdb::WriteBatch& batch, Plan&& plan) {
  const store::Links links(store_);
  for (Plan::Provision& p : plan.provisions) {
    const store::ConnectorSpace cs(store_, p.connector_id);
    store::CsObject object;
    object.anchor = p.anchor;
    object.object_type = p.cs_object_type;
    object.dn = p.dn;
    object.awaiting_add = p.awaiting_add;
    std::string value;
    store::encode_cs_object(object, value);
    batch.Put(store_.family(Family::cs), cs.object_key(p.anchor), value);
    if (!p.dn.empty()) dn_entries_.push_back({p.connector_id, p.dn, p.anchor});
    // The plan found no object of this MV object in the connector, and the anchor is either
    // named after the MV object or one no object held (final_anchor): nothing to unlink, and
    // no export pending for it (an object provisioned and withdrawn before its export leaves
    // none).
    links.link_unlinked(batch, p.connector_id, p.anchor, plan.mv_id);
    PendingExport add;
    add.kind = store::ExportKind::add;
    add.object_type = p.cs_object_type;
    add.dn = p.dn;
    add.attributes = std::move(p.values);
    add.created_unix_ms = now_ms_;
    add.updated_unix_ms = now_ms_;
    store::PendingExports(store_, p.connector_id)
        .put(batch, p.anchor, store::first_pending_add(std::move(add)));
    ++result_.provisioned;
    // A system without DNs names an object by its anchor, which a final one already is.
    refs_.provisioned(p.connector_id, plan.mv_id, p.dn.empty() && p.awaiting_add ? p.anchor : p.dn);
    for (uint64_t holder : refs_.linked(batch, p.connector_id, plan.mv_id)) {
      if (holder == plan.mv_id) continue;
      store::DirtyAttributes(store_).mark(batch, holder, {}, true);
      if (holder < plan.mv_id) rescan_ = true;  // later ids are still ahead of this pass
    }
  }
  for (const auto& [connector_id, target] : plan.waits)
    refs_.wait(batch, connector_id, target, plan.mv_id);
  for (const Plan::Update& u : plan.updates) {
    store::PendingExports(store_, u.connector_id).merge(batch, u.anchor, u.pending, u.delta);
    ++result_.updated;
  }
  for (const Plan::Deprovision& d : plan.deprovisions) {
    links.unlink(batch, d.connector_id, d.anchor);
    const store::PendingExports pending(store_, d.connector_id);
    if (d.forget) {
      // The connected system never reported this object: there is nothing to delete there,
      // and the connector space forgets it with its withdrawn add.
      const store::ConnectorSpace cs(store_, d.connector_id);
      pending.remove(batch, d.anchor);
      batch.Delete(store_.family(Family::cs), cs.object_key(d.anchor));
      if (!d.dn.empty() && cs.anchor_by_dn(d.dn) == d.anchor)
        batch.Delete(store_.family(Family::cs_dn), cs.dn_key(d.dn));
      store::ExportConfirms(store_, d.connector_id).remove(batch, d.anchor);
      continue;
    }
    PendingExport remove;
    remove.kind = store::ExportKind::remove;
    remove.object_type = d.cs_object_type;
    remove.dn = d.dn;
    remove.created_unix_ms = now_ms_;
    remove.updated_unix_ms = now_ms_;
    pending.merge(batch, d.anchor, d.pending, remove);
    ++result_.deprovisioned;
  }
  for (const Plan::Disconnect& d : plan.disconnects) {
    links.unlink(batch, d.connector_id, d.anchor);
    if (d.explicit_disconnector)
      batch.Put(store_.family(Family::cs_disconnector),
                store::connector_key(d.connector_id, d.anchor), rocksdb::Slice());
    ++result_.disconnected;
  }
  if (plan.purge) {
    store::ReferenceIndex(store_).update(batch, &plan.purged, nullptr);
    store::MetaverseStore(store_).remove(batch, plan.mv_id);
    ++result_.purged;
  }
}

OutboundResult OutboundSync::run() {
  start_clock();
  result_.completed = false;
  result_.batches = 0;
  failed_.clear();
  const uint64_t evaluated_before = result_.objects;
  for (int round = 0; round < kReferenceRounds; ++round) {
    rescan_ = false;
    if (!run_pass() || !rescan_) break;
  }
  // Every mark consumed left a tombstone that the next pass would step over (Store::compact).
  if (result_.objects - evaluated_before >= kCompactAfter) store_.compact(Family::mv_dirty);
  return result_;
}

bool OutboundSync::run_pass() {
  const size_t batch_size = std::max<size_t>(1, options_.batch_size);
  const store::DirtyAttributes dirty(store_);
  // Each batch is written while the next one is computed (Store::write_behind).
  const store::WritesFinishedOnExit finished(store_);
  result_.completed = false;
  // Marks of objects in error stay; the cursor walks past them so that each is tried once.
  std::optional<uint64_t> cursor;
  for (;;) {
    std::vector<uint64_t> ids;
    std::vector<store::DirtySet> marks;
    auto visit = [&](uint64_t id, const store::DirtySet& set) {
      if (!failed_.count(id)) {
        ids.push_back(id);
        marks.push_back(set);
      }
      cursor = id;
      return ids.size() < batch_size;
    };
    if (cursor)
      dirty.for_each_after(*cursor, visit);
    else
      dirty.for_each(visit);
    const bool last = ids.size() < batch_size;

    rocksdb::WriteBatch batch;
    // The batch's MV objects and links first, then their target objects at once.
    const std::vector<std::optional<store::MvObject>> objects =
        store::MetaverseStore(store_).get_many(ids);
    std::vector<std::vector<store::Link>> links;
    links.reserve(ids.size());
    for (size_t i = 0; i < ids.size(); ++i)
      links.push_back(objects[i] ? store::Links(store_).links_of(ids[i])
                                 : std::vector<store::Link>());
    std::vector<Evaluating> evaluating;
    for (size_t i = 0; i < ids.size(); ++i)
      if (objects[i]) evaluating.push_back({&*objects[i], &links[i]});
    prefetch_targets(evaluating);
    for (size_t i = 0; i < ids.size(); ++i) {
      const uint64_t id = ids[i];
      ++result_.objects;
      const std::optional<store::MvObject>& mv = objects[i];
      if (mv) {
        Plan plan;
        plan.mv_id = id;
        try {
          plan_object(plan, *mv, &marks[i], links[i]);
        } catch (const expr::EvalError& e) {
          ++result_.errors;
          failed_.insert(id);
          if (result_.error_list.size() < options_.max_listed_errors)
            result_.error_list.push_back({"mv:" + std::to_string(id), e.what()});
          continue;  // the mark stays
        }
        apply(batch, std::move(plan));
      }
      dirty.clear(batch, id);
    }
    end_evaluations(batch);
    if (batch.Count() > 0) store_.write_behind(std::move(batch));
    refs_.flushed();
    ++result_.batches;
    if (last) {
      result_.completed = true;
      break;
    }
    if (options_.stop_after_batches && result_.batches >= *options_.stop_after_batches) break;
    if (options_.cancel && options_.cancel->load()) break;
  }
  store_.wait_for_writes();  // a failed write of the last batch fails the step here
  return result_.completed;
}

}  // namespace idsync::sync
