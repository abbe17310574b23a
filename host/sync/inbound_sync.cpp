#include "sync/inbound_sync.hpp"

#include <algorithm>
#include <chrono>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "exporter/provisional_anchor.hpp"
#include "expressions/errors.hpp"
#include "store/codec.hpp"
#include "store/connector_space.hpp"
#include "store/export_confirm.hpp"
#include "store/import_progress.hpp"
#include "store/pending_export.hpp"
#include "store/prefix_scan.hpp"
#include "store/reference_index.hpp"
#include "store/sync_queue.hpp"
#include "sync/contribution.hpp"
#include "sync/flow.hpp"
#include "sync/join.hpp"
#include "sync/outbound_sync.hpp"
#include "sync/read_ahead.hpp"
#include "sync/sync_progress.hpp"

namespace idsync::sync {

using store::CsObject;
using store::Family;
using store::MvObject;
using store::PendingChange;

struct InboundSync::Batch {
  rocksdb::WriteBatch writes;
  SyncKind kind = SyncKind::full;
  // Full Sync: the anchors of the batch's range that are queued (when the batch began, or put
  // there by the batch itself). Only their entries are deleted: a blind delete for every object
  // would leave a tombstone per object that every later Delta Sync steps over until RocksDB
  // happens to rewrite those files.
  common::StringSet queued;
  // Outbound flow is evaluated in the batch (InboundSync::evaluate_outbound_in_batch), except
  // for the MV objects in `waiting`: linked to an object whose references wait for another, so
  // that their outbound flow is evaluated once, when the step has resolved what it can.
  bool outbound = false;
  std::unordered_set<uint64_t> waiting;
  uint64_t waits_before_object = 0;  // InboundReferences::waits_recorded() then
  // Whether each of the batch's anchors is an explicit disconnector, read for all of them at
  // once (BatchReads); an anchor not here is looked up alone.
  common::StringMap<bool> disconnectors;
};

namespace {
// Rounds of re-syncing objects whose references waited for an object linked in the step: a
// reference chain (a group in a group in a group) resolves one level per round; what is left
// stays queued for the next sync.
constexpr int kReferenceRounds = 4;
// Objects a step must have passed before it compacts the sync queue (Store::compact).
constexpr uint64_t kCompactAfter = 10000;
}  // namespace

namespace {

bool has_sticky_rule(std::span<const CompiledRule* const> rules, std::string_view mv_type) {
  for (const CompiledRule* r : rules)
    if (r->rule->link_type == sync_rules::LinkType::kStickyJoin &&
        store::iequals(r->rule->mv_object_type, mv_type))
      return true;
  return false;
}

std::vector<const CompiledRule*> of_type(std::span<const CompiledRule* const> rules,
                                         std::string_view mv_type) {
  std::vector<const CompiledRule*> out;
  for (const CompiledRule* r : rules)
    if (store::iequals(r->rule->mv_object_type, mv_type)) out.push_back(r);
  return out;
}

// The value changes of the attributes that did change, spelled as `changed` spells them.
std::vector<store::ValueChange> changes_of(std::vector<store::ValueChange> changes,
                                           const std::vector<std::string>& changed) {
  std::vector<store::ValueChange> out;
  for (store::ValueChange& c : changes)
    for (const std::string& name : changed)
      if (store::iequals(c.name, name)) {
        c.name = name;
        out.push_back(std::move(c));
        break;
      }
  return out;
}

expr::TimePoint time_point(int64_t unix_ms) {
  return expr::TimePoint(std::chrono::microseconds(unix_ms * 1000));
}

// The other linked CS objects of one MV object, evaluated on first need: what flow.hpp falls
// back on when this object's contribution gives way, and the other sources of a merged
// attribute.
class OtherSources {
 public:
  OtherSources(store::Store& store, const RuleCatalog& catalog, BatchOverlay& overlay,
               InboundReferences& refs, Membership& membership, const MvObject& mv,
               uint32_t exclude, int64_t now_ms)
      : store_(store),
        catalog_(catalog),
        overlay_(overlay),
        refs_(refs),
        membership_(membership),
        mv_(mv),
        exclude_(exclude),
        now_ms_(now_ms) {}

  // Every decisive contribution to `key`, not only the best: flow.hpp ranks them, and a merged
  // attribute takes values from several (an OthersFn). Only the connectors whose rules may flow
  // into `key` are evaluated: a badge joining a person must not cost an evaluation of the
  // person's HR record for an attribute HR never sets.
  OtherContributions best(std::string_view key) {
    OtherContributions out;
    if (mv_.id == 0) return out;  // being projected: nothing else is linked
    // Nobody else could answer: the links need not be read (a merged attribute asks on every
    // sync of its source, and in a Delta Sync of a large store the links are a cold read).
    if (!catalog_.others_may_contribute(exclude_, mv_.object_type, key)) return out;
    for (Source& source : sources()) {
      if (!catalog_.may_contribute(source.connector, mv_.object_type, key)) continue;
      const Contributions& contributions = source.contributions(*this);
      auto it = contributions.find(key);
      if (it != contributions.end() && it->second.decisive())
        out.decisive.push_back(SourcedContribution{it->second, source.connector_id});
    }
    return out;
  }

  // Whether another linked connector is an authoritative source (has a Provision rule) of
  // the MV object's type.
  bool authoritative_remains() const {
    for (const store::Link& link : overlay_.links_of(mv_.id)) {
      if (link.connector_id == exclude_) continue;
      auto name = catalog_.connector_name(link.connector_id);
      if (name && catalog_.provisions(*name, mv_.object_type)) return true;
    }
    return false;
  }

 private:
  // One other linked CS object, its contributions evaluated on first need.
  struct Source {
    uint32_t connector_id = 0;
    std::string_view connector;
    std::string anchor;
    std::optional<Contributions> evaluated;

    const Contributions& contributions(OtherSources& owner) {
      if (!evaluated) evaluated = owner.evaluate(*this);
      return *evaluated;
    }
  };

  std::vector<Source>& sources() {
    if (listed_) return sources_;
    listed_ = true;
    for (const store::Link& link : overlay_.links_of(mv_.id)) {
      if (link.connector_id == exclude_) continue;
      auto name = catalog_.connector_name(link.connector_id);
      if (!name) continue;
      sources_.push_back(Source{link.connector_id, *name, link.anchor, std::nullopt});
    }
    return sources_;
  }

  Contributions evaluate(const Source& source) {
    // Only this step's connector is written in this batch, so the store is current for the
    // others.
    auto cs = store::ConnectorSpace(store_, source.connector_id).get(source.anchor);
    if (!cs || cs->pending == PendingChange::remove) return {};  // about to disconnect
    const CsContext ctx(*cs, time_point(now_ms_), membership_.of(source.connector_id, *cs));
    auto rules = catalog_.inbound(source.connector, cs->object_type);
    auto scoped = in_scope_rules(rules, ctx, mv_.object_type);
    Contributions contributions = contributions_of(scoped, ctx, &mv_);
    refs_.resolve(contributions, source.connector_id, nullptr, {});
    return contributions;
  }

  store::Store& store_;
  const RuleCatalog& catalog_;
  BatchOverlay& overlay_;
  InboundReferences& refs_;
  Membership& membership_;
  const MvObject& mv_;
  const uint32_t exclude_;
  const int64_t now_ms_;
  bool listed_ = false;
  std::vector<Source> sources_;
};

}  // namespace

InboundSync::InboundSync(store::Store& store, const sync_rules::RuleSet& rules,
                         std::string connector, InboundOptions options)
    : store_(store),
      connector_(std::move(connector)),
      connector_id_(store.connector_id(connector_)),
      options_(std::move(options)),
      catalog_(rules, store, options_.functions),
      ids_(store),
      overlay_(store, catalog_.join_attributes()),
      refs_(store, overlay_),
      membership_(store, uses_membership(rules)),
      watch_(store, rules, connector_, connector_id_),
      generation_(store, rules, options_.functions),
      inbound_generation_(store, rules, options_.functions, sync_rules::Direction::kInbound) {}

void InboundSync::record_error(std::vector<ObjectError>& list, std::string_view anchor,
                               std::string message) {
  if (list.size() < options_.max_listed_errors)
    list.push_back({std::string(anchor), std::move(message)});
}

void InboundSync::start_clock() {
  now_ms_ = options_.now_unix_ms.value_or(std::chrono::duration_cast<std::chrono::milliseconds>(
                                              std::chrono::system_clock::now().time_since_epoch())
                                              .count());
}

InboundResult InboundSync::run_one(std::string_view anchor) {
  start_clock();
  result_ = InboundResult{};
  result_.kind = SyncKind::full;
  Batch batch;
  batch.kind = SyncKind::full;
  synced_before_ = store::ProgressRecords(store_, connector_id_).synced_once();
  const auto object = store::ConnectorSpace(store_, connector_id_).get(anchor);
  process(batch, anchor, object ? &*object : nullptr);
  write(batch);
  result_.batches = 1;
  result_.completed = true;
  return result_;
}

InboundResult InboundSync::run() {
  start_clock();
  const SyncProgressRecord progress_record(store_, connector_id_);
  const store::ProgressRecords import_records(store_, connector_id_);
  SyncKind kind = options_.kind;
  synced_before_ = import_records.synced_once();
  if (kind == SyncKind::delta && !synced_before_) kind = SyncKind::full;

  // Resume an interrupted step, unless a Full Sync is asked of a connector whose Delta Sync
  // was interrupted: the Full Sync covers everything the delta would have done.
  SyncProgress progress;
  progress.kind = kind;
  bool resuming = false;
  if (auto saved = progress_record.get();
      saved && !(saved->kind == SyncKind::delta && kind == SyncKind::full)) {
    progress = *saved;
    resuming = true;
  }
  result_ = progress.counters;
  result_.kind = progress.kind;
  result_.completed = false;
  result_.error_list.clear();
  result_.join_error_list.clear();
  const uint64_t batches_before = result_.batches;
  mark_linked_ = progress.kind == SyncKind::full && generation_.full_sync_must_mark(connector_id_);
  value_level_ =
      progress.kind == SyncKind::delta && inbound_generation_.full_sync_current(connector_id_);

  const size_t batch_size = std::max<size_t>(1, options_.batch_size);
  const std::string prefix = store::connector_prefix(connector_id_);
  const store::SyncQueue queue(store_, connector_id_);
  const store::ConnectorSpace cs(store_, connector_id_);
  const auto name = catalog_.connector_name(connector_id_);
  BatchReadPlan plan;
  plan.store = &store_;
  plan.catalog = &catalog_;
  plan.connector_id = connector_id_;
  plan.connector = name ? std::string(*name) : connector_;
  plan.kind = progress.kind;
  plan.batch_size = batch_size;
  // Pure functions of the object and the step's settings: the reader thread calls them.
  plan.passes_by = [this, kind = progress.kind, &connector = plan.connector](
                       std::string_view anchor, const CsObject* object) {
    const bool has_rules = object && !catalog_.inbound(connector, object->object_type).empty();
    return passes_by(kind, anchor, object, has_rules);
  };
  if (outbound_)
    plan.target_keys = [this](const MvObject& mv, const std::vector<store::Link>& links,
                              std::vector<std::string>& keys) {
      outbound_->target_keys(mv, links, keys);
    };
  // Each batch is written while the next one is computed (Store::write_behind), and read while
  // the one before it is (ReadAhead).
  const store::WritesFinishedOnExit finished(store_);
  ReadAhead ahead(plan);
  for (;;) {
    std::optional<BatchReads> taken = ahead.take();
    BatchReads reads =
        taken ? std::move(*taken)
              : read_batch(plan, resuming ? std::optional<std::string>(progress.last_anchor)
                                          : std::nullopt);
    const size_t count = reads.anchors.size();
    const bool last = reads.last;
    const bool another = options_.read_ahead && !last &&
                         !(options_.stop_after_batches &&
                           result_.batches + 1 - batches_before >= *options_.stop_after_batches);
    if (another) ahead.start(reads.anchors.back());

    Batch batch;
    batch.kind = progress.kind;
    batch.outbound = outbound_ != nullptr;
    overlay_.adopt(connector_id_, reads);
    batch.disconnectors = std::move(reads.disconnectors);
    batch.queued = std::move(reads.queued);
    if (outbound_) outbound_->adopt_targets(std::move(reads.targets));
    for (size_t i = 0; i < count; ++i)
      process(batch, reads.anchors[i], reads.objects[i] ? &*reads.objects[i] : nullptr);
    evaluate_outbound(batch);
    overlay_.flush(batch.writes);
    ids_.record(batch.writes);
    if (count > 0) progress.last_anchor = reads.anchors.back();
    ++result_.batches;
    if (last) {
      progress_record.clear(batch.writes);
      if (progress.kind == SyncKind::full) {
        import_records.put_synced_once(batch.writes);
        generation_.completed_full_sync(batch.writes, connector_id_);
        inbound_generation_.completed_full_sync(batch.writes, connector_id_);
      }
    } else {
      progress.counters = result_;
      progress_record.put(batch.writes, progress);
    }
    store_.write_behind(std::move(batch.writes));
    refs_.flushed();
    if (outbound_) outbound_->batch_written();
    ahead.discard(std::make_shared<BatchReads>(std::move(reads)));
    ahead.discard(overlay_.take_spent());
    resuming = true;
    if (last) {
      result_.completed = true;
      break;
    }
    if (options_.stop_after_batches &&
        result_.batches - batches_before >= *options_.stop_after_batches)
      break;
    if (options_.cancel && options_.cancel->load()) break;
  }
  store_.wait_for_writes();
  if (!result_.completed) return result_;

  // Objects queued again during the step (their references waited for an object it linked,
  // or their group membership changed) that it has not synced since: a sync removes the
  // queue entry, so those still queued are the ones the step had passed. A crash here leaves
  // them queued for the next Delta Sync.
  for (int round = 0; round < kReferenceRounds && !requeued_.empty(); ++round) {
    std::vector<std::string> again = std::move(requeued_);
    requeued_.clear();
    std::sort(again.begin(), again.end());
    again.erase(std::unique(again.begin(), again.end()), again.end());
    for (size_t i = 0; i < again.size(); i += batch_size) {
      Batch batch;
      batch.kind = SyncKind::delta;  // an error leaves the queue entry, as in a Delta Sync
      for (size_t j = i; j < std::min(again.size(), i + batch_size); ++j) {
        if (!queue.contains(again[j])) continue;
        auto object = cs.get(again[j]);
        process(batch, again[j], object ? &*object : nullptr);
      }
      write(batch);
      ++result_.batches;
    }
  }
  // A Delta Sync deletes the queue entry of each object it consumed: clear their tombstones
  // before the next Delta Sync scans the queue.
  if (result_.objects >= kCompactAfter) store_.compact(Family::sync_queue, prefix);
  return result_;
}

void InboundSync::drop_references_to(uint64_t id) {
  const std::string value = store::mv_key(id);
  for (uint64_t holder : store::ReferenceIndex(store_).holders(id)) {
    const MvObject* h = overlay_.mv(holder);
    if (!h || h->deleted) continue;
    MvObject copy = *h;
    std::vector<std::string> changed;
    for (store::MvAttribute& a : copy.attributes)
      if (a.type == IDSYNC_VALUE_REFERENCE && std::erase(a.values, value) > 0)
        changed.push_back(a.name);
    if (changed.empty()) continue;
    store::canonicalize(copy.attributes);  // an attribute left without values goes
    result_.flow_updates += changed.size();
    overlay_.put_mv(std::move(copy), changed, false);
  }
}

void InboundSync::evaluate_outbound(Batch& batch) {
  if (!batch.outbound) return;
  overlay_.take_marks(
      [&](const MvObject& mv, const store::DirtySet& marks, const std::vector<store::Link>& links) {
        return !batch.waiting.count(mv.id) &&
               outbound_->evaluate_in_batch(batch.writes, mv, marks, links, connector_id_);
      },
      [&](const std::vector<BatchOverlay::Marked>& marked) {
        std::vector<OutboundSync::Evaluating> evaluating;
        evaluating.reserve(marked.size());
        for (const BatchOverlay::Marked& m : marked)
          if (!batch.waiting.count(m.mv->id)) evaluating.push_back({m.mv, m.links});
        outbound_->prefetch_targets(evaluating);
      });
  outbound_->end_evaluations(batch.writes);
}

void InboundSync::write(Batch& batch) {
  evaluate_outbound(batch);
  overlay_.flush(batch.writes);
  ids_.record(batch.writes);
  store_.write(batch.writes);
  refs_.flushed();
  if (outbound_) outbound_->batch_written();
}

void InboundSync::requeue_waiters(Batch& batch, std::string_view anchor,
                                  const store::CsObject& object) {
  requeue(batch, anchor, refs_.linked(batch.writes, connector_id_, object));
}

void InboundSync::requeue(Batch& batch, std::string_view current,
                          std::vector<std::string> anchors) {
  for (std::string& a : anchors) {
    if (a == current) continue;  // itself: dealt with by its own sync
    store::SyncQueue(store_, connector_id_).add(batch.writes, a);
    batch.queued.insert(a);
    requeued_.push_back(std::move(a));
  }
}

bool InboundSync::must_mark(const Batch& batch, const CsObject& object) const {
  if (batch.kind != SyncKind::full) return false;
  // An import change may be the target drifting from what outbound flow wants.
  return mark_linked_ || store::effective_pending(object, synced_before_) != PendingChange::none ||
         !object.changed_attributes.empty() || !object.previous_dn.empty();
}

void InboundSync::finish_object(Batch& batch, std::string_view anchor, const CsObject* object) {
  if (batch.outbound && refs_.waits_recorded() != batch.waits_before_object)
    if (auto id = overlay_.mv_of(connector_id_, anchor)) batch.waiting.insert(*id);
  const store::ConnectorSpace cs(store_, connector_id_);
  const std::string key = cs.object_key(anchor);
  // The queue entry goes in the batch that commits the object's sync.
  if (batch.kind != SyncKind::full || batch.queued.count(anchor))
    batch.writes.Delete(store_.family(Family::sync_queue), key);
  if (!watch_.empty()) requeue(batch, anchor, watch_.changed_members(batch.writes, anchor, object));
  if (!object) return;
  if (object->pending == PendingChange::remove) {
    // Disconnected above: the staged delete has been consumed, so the record goes.
    batch.writes.Delete(store_.family(Family::cs), key);
    batch.writes.Delete(store_.family(Family::cs_disconnector), key);
    batch.writes.Delete(store_.family(Family::cs_seen), key);
    if (!object->dn.empty() && cs.anchor_by_dn(object->dn) == anchor)
      batch.writes.Delete(store_.family(Family::cs_dn), cs.dn_key(object->dn));
    return;
  }
  // Nothing to clear; a first import's object keeps its record too: once the connector's first
  // Full Sync completes, it reads as synced (store::CsObject::first_import).
  if (object->pending == PendingChange::none && object->changed_attributes.empty() &&
      object->previous_dn.empty())
    return;
  // The record as synced: no pending change, no changed attributes or previous DN.
  std::string value;
  store::encode_cs_header(PendingChange::none, object->object_type, object->dn, {}, {}, value);
  store::encode_cs_attributes(object->attributes, value);
  batch.writes.Put(store_.family(Family::cs), key, value);
}

bool InboundSync::is_placeholder(const std::string& anchor) const {
  if (exporter::is_provisional_anchor(anchor)) return true;
  const std::optional<CsObject> object = store::ConnectorSpace(store_, connector_id_).get(anchor);
  return object && object->awaiting_add;
}

void InboundSync::forget_provisional(Batch& batch, const std::string& anchor) {
  const store::ConnectorSpace cs(store_, connector_id_);
  store::PendingExports(store_, connector_id_).remove(batch.writes, anchor);
  store::ExportConfirms(store_, connector_id_).remove(batch.writes, anchor);
  if (auto placeholder = cs.get(anchor)) {
    if (!placeholder->dn.empty() && cs.anchor_by_dn(placeholder->dn) == anchor)
      batch.writes.Delete(store_.family(Family::cs_dn), cs.dn_key(placeholder->dn));
  }
  batch.writes.Delete(store_.family(Family::cs), cs.object_key(anchor));
}

bool InboundSync::passes_by(SyncKind kind, std::string_view anchor, const CsObject* object,
                            bool has_rules) const {
  if (!object || store::effective_pending(*object, synced_before_) != PendingChange::none)
    return false;
  const bool placeholder = exporter::is_provisional_anchor(anchor) || object->awaiting_add;
  return placeholder || (!has_rules && kind == SyncKind::full &&
                         object->changed_attributes.empty() && object->previous_dn.empty());
}

void InboundSync::process(Batch& batch, std::string_view anchor, const CsObject* object) {
  ++result_.objects;
  batch.waits_before_object = refs_.waits_recorded();
  // Errors leave the object as it was; a Full Sync queues it so that the next Delta Sync
  // retries it (a Delta Sync just leaves its entry).
  auto keep_for_retry = [&] {
    if (batch.kind == SyncKind::full)
      store::SyncQueue(store_, connector_id_).add(batch.writes, anchor);
    // A first import's object is a pending add only until this first Full Sync completes: one
    // it could not sync keeps its add in its record.
    if (object && store::effective_pending(*object, synced_before_) != object->pending) {
      store::CsObject kept = *object;
      kept.first_import = false;
      kept.pending = PendingChange::add;
      std::string value;
      store::encode_cs_object(kept, value);
      batch.writes.Put(store_.family(Family::cs), store::connector_key(connector_id_, anchor),
                       value);
    }
  };
  try {
    const auto name = catalog_.connector_name(connector_id_);
    const std::vector<const CompiledRule*> rules =
        object ? catalog_.inbound(name ? *name : std::string_view(connector_), object->object_type)
               : std::vector<const CompiledRule*>();
    // Objects inbound sync has nothing to do with, whose link and MV object it need not read:
    //  - a placeholder (provisioned, not exported yet) holds no imported data, so no rule can
    //    flow from it or judge its scope (an Initial cycle syncs a target's placeholders
    //    before it exports them);
    //  - in a Full Sync, an object of a type this connector has no inbound rules for, which no
    //    import changed (a target-only connector's confirmed objects).
    // Either may still need its MV object marked for outbound flow (must_mark). Links of
    // deleted MV objects are outbound sync's to remove.
    if (passes_by(batch.kind, anchor, object, !rules.empty())) {
      if (must_mark(batch, *object))
        if (auto id = overlay_.mv_of(connector_id_, anchor)) overlay_.touch(*id);
      finish_object(batch, anchor, object);
      return;
    }
    const bool pending_delete = !object || object->pending == PendingChange::remove;
    std::optional<uint64_t> linked = overlay_.mv_of(connector_id_, anchor);
    const MvObject* mv = linked ? overlay_.mv(*linked) : nullptr;
    if (linked && (!mv || mv->deleted)) {
      // Linked to an object deprovisioned meanwhile: the link is stale; drop it and treat the
      // object as unlinked.
      overlay_.unlink(connector_id_, anchor);
      ++result_.disconnectors;
      linked.reset();
      mv = nullptr;
    }

    if (!object) {  // queued, but gone from the connector space
      if (linked) {
        // Cannot happen through the importer (a linked object is deleted as a pending delete),
        // but a link must never outlive its CS object.
        MvObject copy = *mv;
        OtherSources others(store_, catalog_, overlay_, refs_, membership_, copy, connector_id_,
                            now_ms_);
        auto changed = apply_flow(
            copy, connector_id_, {}, [&](std::string_view k) { return others.best(k); }, now_ms_);
        overlay_.unlink(connector_id_, anchor);
        overlay_.put_mv(std::move(copy), changed, true);
        ++result_.disconnectors;
        result_.flow_updates += changed.size();
      }
      finish_object(batch, anchor, object);
      return;
    }

    const CsContext ctx(*object, time_point(now_ms_), membership_.of(connector_id_, *object));

    if (linked) {
      const MvObject& current = *mv;
      const auto scoped = in_scope_rules(rules, ctx, current.object_type);
      MvObject copy = current;
      OtherSources others(store_, catalog_, overlay_, refs_, membership_, current, connector_id_,
                          now_ms_);
      auto others_fn = [&](std::string_view k) { return others.best(k); };
      // Out of scope disconnects only where inbound rules exist for the object's type: an
      // object that outbound sync provisioned into a target-only connector is linked without
      // any inbound rule and stays linked.
      const bool left_scope =
          !rules.empty() && scoped.empty() && !has_sticky_rule(rules, current.object_type);
      if (pending_delete || left_scope) {
        const bool delete_mv = options_.deprovisioning ==
                                   Deprovisioning::delete_mv_when_last_authoritative_source_goes &&
                               !others.authoritative_remains();
        std::vector<std::string> changed;
        if (delete_mv)
          copy.deleted = true;  // the tombstone keeps its values for outbound deprovisioning
        else
          changed = apply_flow(copy, connector_id_, {}, others_fn, now_ms_);
        overlay_.unlink(connector_id_, anchor);
        const uint64_t id = copy.id;
        overlay_.put_mv(std::move(copy), changed, true);
        ++result_.disconnectors;
        if (delete_mv) {
          ++result_.mv_deletes;
          drop_references_to(id);
        }
        result_.flow_updates += changed.size();
      } else if (!scoped.empty()) {
        Contributions contributions = contributions_of(scoped, ctx, &current);
        std::vector<store::ValueChange> value_changes;
        Contributions by_value;
        if (value_level_)
          by_value = refs_.resolve_changes(contributions, *object, current, connector_id_,
                                           &batch.writes, anchor, value_changes);
        refs_.resolve(contributions, connector_id_, &batch.writes, anchor);
        contributions.merge(by_value);
        auto changed =
            apply_flow(copy, connector_id_, std::move(contributions), others_fn, now_ms_);
        result_.flow_updates += changed.size();
        if (!changed.empty() || !(copy == current))
          overlay_.put_mv(std::move(copy), changed, false,
                          changes_of(std::move(value_changes), changed));
        // A Full Sync re-evaluates outbound too when the outbound rules may have changed
        // since the objects were last evaluated (rule_generation.hpp).
        if (must_mark(batch, *object)) overlay_.touch(current.id);
      } else if (must_mark(batch, *object)) {
        overlay_.touch(current.id);
      }
      finish_object(batch, anchor, object);
      return;
    }

    if (pending_delete) {  // never linked: nothing to undo
      finish_object(batch, anchor, object);
      return;
    }
    const auto known = batch.disconnectors.find(anchor);
    if (known != batch.disconnectors.end()
            ? known->second
            : store_.get(Family::cs_disconnector, store::connector_key(connector_id_, anchor))
                  .has_value()) {
      // Left by a rule's deprovisioning: it stays out of the metaverse.
      finish_object(batch, anchor, object);
      return;
    }
    const auto scoped = in_scope_rules(rules, ctx);
    const ObjectJoin join = find_join(scoped, *object, overlay_);
    using Outcome = sync_rules::JoinDecision::Outcome;
    if (join.decision.outcome == Outcome::kAmbiguous) {
      std::string ids;
      for (const auto& id : join.decision.candidates) ids += (ids.empty() ? "" : ", ") + id;
      ++result_.join_errors;
      record_error(result_.join_error_list, anchor,
                   "ambiguous join (rule \"" + join.rule->name + "\", join group " +
                       std::to_string(*join.decision.group_index) + "): MV objects " + ids +
                       " all match");
      keep_for_retry();
      return;
    }
    if (join.decision.outcome == Outcome::kJoined) {
      const uint64_t target = std::stoull(join.decision.candidates.front());
      auto other = overlay_.anchor_of(target, connector_id_);
      if (other && is_placeholder(*other)) {
        // The MV object was provisioned into this connector and the add is not confirmed, yet
        // the connected system has the object (an export whose result was lost in a crash, or
        // an object created there meanwhile). The real object replaces the placeholder: its
        // withdrawn add leaves outbound sync to send only what differs.
        forget_provisional(batch, *other);
        overlay_.unlink(connector_id_, *other);
        other.reset();
      }
      if (other) {
        ++result_.join_errors;
        record_error(result_.join_error_list, anchor,
                     "join conflict (rule \"" + join.rule->name + "\"): MV object " +
                         std::to_string(target) + " is already joined to \"" + *other +
                         "\" of this connector");
        keep_for_retry();
        return;
      }
      const MvObject& current = *overlay_.mv(target);
      MvObject copy = current;
      OtherSources others(store_, catalog_, overlay_, refs_, membership_, current, connector_id_,
                          now_ms_);
      Contributions contributions =
          contributions_of(of_type(scoped, current.object_type), ctx, &current);
      refs_.resolve(contributions, connector_id_, &batch.writes, anchor);
      auto changed = apply_flow(
          copy, connector_id_, std::move(contributions),
          [&](std::string_view k) { return others.best(k); }, now_ms_);
      overlay_.link(connector_id_, anchor, target);
      requeue_waiters(batch, anchor, *object);
      overlay_.put_mv(std::move(copy), changed, true);
      ++result_.joins;
      result_.flow_updates += changed.size();
      finish_object(batch, anchor, object);
      return;
    }
    const CompiledRule* provision = nullptr;
    for (const CompiledRule* r : scoped)
      if (r->rule->link_type == sync_rules::LinkType::kProvision) {
        provision = r;
        break;
      }
    if (provision) {
      MvObject created;
      created.object_type = provision->rule->mv_object_type;
      Contributions contributions =
          contributions_of(of_type(scoped, created.object_type), ctx, &created);
      refs_.resolve(contributions, connector_id_, &batch.writes, anchor);
      auto changed = apply_flow(
          created, connector_id_, std::move(contributions),
          [](std::string_view) { return std::optional<SourcedContribution>(); }, now_ms_);
      // The id is taken only now that nothing can fail: an id allocated into the batch is
      // committed with it.
      created.id = ids_.allocate();
      const uint64_t id = created.id;
      overlay_.put_new_mv(std::move(created), changed);
      overlay_.link(connector_id_, anchor, id);
      requeue_waiters(batch, anchor, *object);
      ++result_.projections;
      result_.flow_updates += changed.size();
    }
    finish_object(batch, anchor, object);
  } catch (const expr::EvalError& e) {
    ++result_.errors;
    record_error(result_.error_list, anchor, e.what());
    keep_for_retry();
  }
}

}  // namespace idsync::sync
