// Inbound synchronization of one connector: its connector-space objects into the metaverse
// (docs/sync-engine.md, "Inbound (CS -> MV) for one CS object").
//
//   InboundSync sync(store, rules, "HR", options);
//   InboundResult r = sync.run();
//
// Full Sync reads every CS object of the connector; Delta Sync only the anchors in its sync
// queue, and runs as a Full Sync until the connector has completed one (synced_once). A Full
// Sync marks the MV objects of linked objects for outbound evaluation when the outbound rules
// may have changed since they were evaluated (rule_generation.hpp) or the object has an import
// change; a Delta Sync marks what it changes. Objects
// are processed in batches of options.batch_size; each batch is one WriteBatch carrying the MV
// objects, links, join-index entries, dirty marks, CS records with their pending change reset,
// queue removals and the step's progress record (sync_progress.hpp). After a crash, run()
// resumes the interrupted step after its last committed anchor, so the result equals that of an
// uninterrupted run. The completing batch of a Full Sync marks the connector synced_once.
//
// Per object:
//   - rules: the connector's enabled inbound rules for the CS type, scoping evaluated;
//   - linked: stays linked and flows while a rule for its MV type is in scope; otherwise, or
//     when it is a pending delete, it disconnects: the link goes, the attributes this connector
//     held fall back to the other linked sources (or go), and with
//     Deprovisioning::delete_mv_when_last_authoritative_source_goes the MV object becomes a
//     tombstone when no other linked connector has a Provision rule for its type, and the
//     references other MV objects hold to it are removed (store/reference_index.hpp). A StickyJoin
//     rule of the MV type keeps the link (without flow) while the object is out of scope;
//   - not linked: the in-scope rules' join groups in precedence order (sync_rules::decide_join
//     over the join index); an ambiguous match, or a match already linked to another object of
//     this connector, is a join error (unless that object is a provisioned placeholder whose
//     add is unconfirmed: the real object replaces it); no match and an in-scope Provision rule
//     projects a new MV object;
//   - attribute flow with precedence (flow.hpp); reference values resolve to MV ids
//     (inbound_references.hpp), and an object whose references waited for an object linked
//     in this step is synced again before the step ends. In a Delta Sync under the rules of
//     the connector's last Full Sync, a reference attribute the import changed value by value
//     resolves only the values added and removed, and its MV mark carries that change;
//   - the CS object's pending change is reset to none; a pending delete is erased;
//   - a group some rule names in ISMEMBEROF (membership.hpp) queues the members it gained or
//     lost since it was last synced (membership_watch.hpp), so they come into or leave scope.
// An expression that fails on an object's data (expr::EvalError) and a join error leave that
// object untouched and queued for the next run, and are counted and listed in the result.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/cs_object.hpp"
#include "store/metaverse.hpp"
#include "store/store.hpp"
#include "sync/batch_overlay.hpp"
#include "sync/inbound_references.hpp"
#include "sync/membership.hpp"
#include "sync/membership_watch.hpp"
#include "sync/options.hpp"
#include "sync/rule_catalog.hpp"
#include "sync/rule_generation.hpp"
#include "sync_rules/rule_set.hpp"

namespace idsync::sync {

class OutboundSync;

class InboundSync {
 public:
  // `store` and `rules` must outlive the InboundSync. Throws std::runtime_error when a rule
  // expression does not compile against options.functions.
  InboundSync(store::Store& store, const sync_rules::RuleSet& rules, std::string connector,
              InboundOptions options);

  // Runs (or resumes) the step. Store failures throw store::StoreError; the committed batches
  // stay and a rerun resumes after them.
  InboundResult run();

  // Syncs the one CS object `anchor` as a Full Sync would (re-evaluated, its MV object marked
  // for outbound sync) in one batch, without touching the step's progress record. For
  // previews on a copy of the store (runtime/object_trace.hpp), not for real steps.
  InboundResult run_one(std::string_view anchor);

  // From now on, run() evaluates the outbound flow of the MV objects each batch changes in that
  // same batch (OutboundSync::evaluate_in_batch), instead of leaving a mark for every one of
  // them to `outbound`'s run(), which must still follow for what is left: objects waiting for
  // a reference, those the step syncs again at its end, and those evaluate_in_batch declines.
  // `outbound` must outlive the InboundSync.
  void evaluate_outbound_in_batch(OutboundSync& outbound) { outbound_ = &outbound; }

 private:
  struct Batch;
  void start_clock();
  void process(Batch& batch, std::string_view anchor, const store::CsObject* object);
  // Whether process() deals with the object without reading its link or MV object: a
  // placeholder, or in a Full Sync an unchanged object of a type without inbound rules
  // (`has_rules`: the connector has inbound rules for the object's type).
  bool passes_by(SyncKind kind, std::string_view anchor, const store::CsObject* object,
                 bool has_rules) const;
  void record_error(std::vector<ObjectError>& list, std::string_view anchor, std::string message);
  void finish_object(Batch& batch, std::string_view anchor, const store::CsObject* object);
  // Whether a linked object's MV object is marked for outbound evaluation though this sync
  // changed nothing in it: in a Full Sync that must re-evaluate (rule_generation.hpp), and for
  // an object with an import change.
  bool must_mark(const Batch& batch, const store::CsObject& object) const;
  // Whether the object under `anchor` is a provisioned placeholder whose add the connected
  // system has not confirmed: under a provisional anchor, or marked awaiting its add.
  bool is_placeholder(const std::string& anchor) const;
  // Drops a provisioned placeholder (is_placeholder) with its pending export.
  void forget_provisional(Batch& batch, const std::string& anchor);
  // `object` was just linked: the objects whose references waited for it are queued again,
  // and those the step has already passed are synced again at its end.
  void requeue_waiters(Batch& batch, std::string_view anchor, const store::CsObject& object);
  // Queues `anchors` for sync again; those the step does not reach get a pass at its end.
  void requeue(Batch& batch, std::string_view current, std::vector<std::string> anchors);
  // The batch's changed MV objects that wait for no reference go through outbound_.
  void evaluate_outbound(Batch& batch);
  void write(Batch& batch);
  // MV object `id` is deleted: the MV objects referring to it lose those values (and are
  // marked, so that targets lose them too).
  void drop_references_to(uint64_t id);

  store::Store& store_;
  const std::string connector_;
  const uint32_t connector_id_;
  const InboundOptions options_;
  RuleCatalog catalog_;
  store::MvIdAllocator ids_;
  BatchOverlay overlay_;
  InboundReferences refs_;
  Membership membership_;
  MembershipWatch watch_;
  RuleGeneration generation_;          // of the outbound rules
  RuleGeneration inbound_generation_;  // of the inbound rules
  bool mark_linked_ = true;            // this Full Sync marks every linked MV object
  // This Delta Sync applies import value changes of references to the MV values the previous
  // sync left (inbound_references.hpp): only under the rules of the connector's last Full Sync.
  bool value_level_ = false;
  // The connector has completed a Full Sync before this step (ProgressRecords::synced_once):
  // until it has, a first import's object is a pending add (store::effective_pending).
  bool synced_before_ = true;
  std::vector<std::string> requeued_;  // queued again during the step
  OutboundSync* outbound_ = nullptr;
  InboundResult result_;
  int64_t now_ms_ = 0;
};

}  // namespace idsync::sync
