// Outbound synchronization: from the metaverse to every target connector's space, for the MV
// objects whose values or links changed (docs/sync-engine.md, "Outbound (MV -> CS)").
//
//   OutboundSync sync(store, rules, options);
//   OutboundResult r = sync.run();
//
// The work list is `mv_dirty`: inbound sync marks every MV object it changes (and a Full Sync
// every MV object its connector is linked to), unless it evaluated the object in its own batch
// through evaluate_in_batch(). run() reads the marks in id order, in batches of
// options.batch_size; each batch is one WriteBatch with the CS objects, links and pending
// exports it decides and the removal of its marks, so the marks themselves are the progress:
// after a crash the uncommitted marks are still there and a rerun does their work once.
//
// Per MV object and per target connector (a connector with enabled outbound rules for the MV
// type, outbound_rules.hpp), with the rules' scoping filters evaluated on the MV object:
//   - not linked, a Provision rule in scope: provisioning. A CS object is created with the
//     rules' DN, linked, and given a pending export add with the initial values. Its anchor is
//     the final one when the connector files the add under its anchor attribute's value
//     (store/add_named_anchors.hpp) and no object holds that value: the object is then marked
//     awaiting its add (store::CsObject::awaiting_add) and the export confirms it in place.
//     Otherwise it is a provisional anchor (exporter/provisional_anchor.hpp), and the export
//     moves the object to the anchor the connected system reports;
//   - linked, in scope: the rules' values are compared with the target's expected state
//     (target_state.hpp) and the difference is merged, value by value, into the object's
//     pending export (store/export_merge.hpp); a changed "dn" is a rename. The target's
//     secret attributes (store/secret_attributes.hpp: passwords) are left out: they flow
//     into the provisioning add alone, so a later change in the source does not flow;
//   - linked, and the MV object deleted or out of every Provision rule's scope (for a target
//     with Provision rules): deprovisioning, a pending export delete and the link removed. A
//     provisioned object never exported is simply forgotten (its add is withdrawn);
//   - linked to a target with Join rules only, and the MV object deleted: disconnected (the
//     link goes, the target object stays); out of scope: its values stop flowing.
// A deleted MV object (a tombstone left by inbound sync) also loses its links to connectors
// without outbound rules, and is then removed from the store.
//
// Reference values (MV ids) become the target's DN (or anchor) of the referenced object
// (outbound_references.hpp). When the object's marks carry a value change of a reference
// attribute (a member added to a group, inbound_references.hpp) and a linked target's
// attribute comes from it by a Direct flow alone, only the added and removed members are
// translated and sent, as an add and a remove of those values. A reference to an object not yet in
// the target waits for it; when this run provisions that object, the holder is evaluated again
// before run() returns.
//
// An expression failing on an object's data leaves that object's mark (it is retried by the
// next sync) and nothing of it is written; it is counted and listed in the result.
#pragma once

#include <rocksdb/write_batch.h>

#include <cstdint>
#include <optional>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "store/dirty_attributes.hpp"
#include "store/links.hpp"
#include "store/mv_object.hpp"
#include "store/store.hpp"
#include "sync/batch_reads.hpp"
#include "sync/options.hpp"
#include "sync/outbound_references.hpp"
#include "sync/outbound_rules.hpp"
#include "sync_rules/rule_set.hpp"

namespace idsync::sync {

class OutboundSync {
 public:
  // `store` and `rules` must outlive the OutboundSync. Throws std::runtime_error when a rule
  // expression does not compile against options.functions.
  OutboundSync(store::Store& store, const sync_rules::RuleSet& rules, OutboundOptions options);

  // Works through every mark. Store failures throw store::StoreError; committed batches stay.
  // The result also counts what evaluate_in_batch() did before.
  OutboundResult run();

  // Evaluates MV object `mv`, changed by an inbound sync batch of connector `inbound_connector`
  // that is not written yet, into that `batch`, so that the object needs no mark and no second
  // read (the way Entra Connect Sync evaluates export flow in the same pass as import flow).
  // `marks` are the changes the inbound batch made; `links` the object's committed links (a
  // projected object has none); the inbound batch links only objects of its own connector.
  // Returns false, having written nothing, when the object must be left to run() through its
  // mark: a tombstone (its purge rewrites what the inbound batch holds), an object whose type
  // `inbound_connector` is a target of (the batch rewrites that connector's objects), or an
  // evaluation that failed (run() evaluates it again and reports the error once).
  // end_evaluations(batch) must follow the batch's last evaluation, and batch_written() the
  // write of `batch`.
  bool evaluate_in_batch(rocksdb::WriteBatch& batch, const store::MvObject& mv,
                         const store::DirtySet& marks, const std::vector<store::Link>& links,
                         uint32_t inbound_connector);
  void batch_written() { refs_.flushed(); }

  // One MV object about to be evaluated, and its links.
  struct Evaluating {
    const store::MvObject* mv = nullptr;
    const std::vector<store::Link>* links = nullptr;
  };
  // Reads what evaluating `objects` reads of their linked target objects (each one's CS record,
  // pending export and export confirmation) with one MultiGet, instead of three reads per
  // target during the evaluations, for the targets not read yet (adopt_targets). The
  // evaluations that follow take them from here until end_evaluations(). Each MV object has its
  // own target objects, and evaluating one writes only its own, so what is read here is what
  // each evaluation would have read.
  void prefetch_targets(const std::vector<Evaluating>& objects);
  // Appends the keys (connector_key) of the target objects an MV object with `links` is
  // compared against: its linked objects in the connectors its type flows out to. Const and
  // safe beside the step's thread (the catalog does not change during a step).
  void target_keys(const store::MvObject& mv, const std::vector<store::Link>& links,
                   std::vector<std::string>& keys) const;
  // Takes target records read before the batch's evaluations (batch_reads.hpp), as
  // prefetch_targets would have read them; they answer until end_evaluations().
  void adopt_targets(common::StringMap<TargetRecords>&& targets);
  // Ends the evaluations of one batch, before `batch` is written: writes the DN index entries
  // of the objects they provisioned, each where no object holds its DN yet (read for all of
  // them with one MultiGet; of two under one DN, the first), and forgets what prefetch_targets
  // read. Deferring those entries is exact: a batch deletes a DN's entry only where the store
  // has one, and puts one only where it has none, so no key gets both.
  void end_evaluations(rocksdb::WriteBatch& batch);

 private:
  TargetRecords target_records(uint32_t connector_id, const std::string& anchor) const;
  struct Plan;
  void start_clock();
  // One pass over the marks in id order; false when stopped early (stop_after_batches).
  bool run_pass();
  // `marks`: the object's outbound marks (null when there are none); `links`: its links.
  void plan_object(Plan& plan, const store::MvObject& mv, const store::DirtySet* marks,
                   const std::vector<store::Link>& links);
  void apply(rocksdb::WriteBatch& batch, Plan&& plan);  // moves the provisions' values out
  // The anchor an object provisioned into `target` with the ADD `values` is staged under: its
  // final one when the connector files such an ADD under its anchor attribute's value
  // (OutboundTarget::add_named_anchors), the ADD carries one plain value of it, and no object
  // holds that anchor yet; otherwise "" (the caller uses a provisional anchor). A final anchor
  // is claimed for the rest of the batch.
  std::string final_anchor(const OutboundTarget& target, std::string_view cs_object_type,
                           const std::vector<store::AttributeDelta>& values);

  store::Store& store_;
  const OutboundOptions options_;
  OutboundCatalog catalog_;
  OutboundReferences refs_;
  bool rescan_ = false;        // a holder the pass had passed waits for evaluation again
  std::set<uint64_t> failed_;  // in error in this run: their marks stay, tried once
  OutboundResult result_;
  int64_t now_ms_ = 0;
  // prefetch_targets: connector_key(connector, anchor) -> the target's records.
  common::StringMap<TargetRecords> prefetched_;
  // The DN index entries of the batch's provisioned objects, for end_evaluations().
  struct DnEntry {
    uint32_t connector_id;
    std::string dn, anchor;
  };
  std::vector<DnEntry> dn_entries_;
  // connector_key of the final anchors provisioned in this batch, until end_evaluations().
  std::unordered_set<std::string> claimed_anchors_;
};

}  // namespace idsync::sync
