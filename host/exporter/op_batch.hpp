// One export batch: the pending exports taken into it and the idsync_export_op structs handed
// to the connector. The C structs point into this object's strings, so it is filled first
// (add), then frozen (seal) and never changed while the connector holds the pointers.
//
// Mapping (docs/sync-engine.md, Export):
//   add         one ADD whose attributes are the REPLACE deltas (initial values); the anchor is
//               empty when it is provisional (the system assigns it), or when the ADD carries
//               another value of the attribute the connector files adds under (the system
//               files it there)
//   update      one UPDATE with each delta's op (replace/add/remove), new_dn for a rename
//   remove      one DELETE
//   remove_add  a DELETE followed by an ADD, adjacent and in that order, in the same batch
#pragma once

#include <idsync/plugin_abi.h>

#include <cstdint>
#include <string>
#include <vector>

#include "store/add_named_anchors.hpp"
#include "store/pending_export.hpp"

namespace idsync::exporter {

struct BatchEntry {
  std::string anchor;  // the pending export's key (perhaps provisional)
  store::PendingExport pending;
  std::vector<uint64_t> op_ids;  // 1, or 2 for a delete-add (DELETE first)
};

class OpBatch {
 public:
  OpBatch() = default;
  OpBatch(const OpBatch&) = delete;
  OpBatch& operator=(const OpBatch&) = delete;

  // Takes one pending export; its ops get the next ids (1, 2, ... within the batch).
  void add(std::string anchor, store::PendingExport pe);
  // Builds the C structs. No add() after this. `anchors`: the object types whose ADD the
  // connector files under their anchor attribute's value.
  void seal(const store::AddNamedAnchors& anchors = {});

  const idsync_export_batch* get() const { return &batch_; }
  const std::vector<BatchEntry>& entries() const { return entries_; }
  size_t size() const { return entries_.size(); }
  size_t op_count() const { return ops_.size(); }
  bool empty() const { return entries_.empty(); }
  const std::vector<uint64_t>& op_ids() const { return op_id_list_; }

 private:
  struct Op {
    uint64_t id = 0;
    idsync_export_kind kind = IDSYNC_EXPORT_ADD;
    size_t entry = 0;
  };
  std::vector<BatchEntry> entries_;
  std::vector<Op> ops_;
  std::vector<uint64_t> op_id_list_;
  std::vector<std::vector<std::vector<idsync_bytes>>> values_;  // [op][attr][value]
  std::vector<std::vector<idsync_attr>> attrs_;                 // [op][attr]
  std::vector<std::vector<const idsync_attr*>> attr_ptrs_;      // [op][attr]
  std::vector<idsync_export_op> c_ops_;
  std::vector<const idsync_export_op*> op_ptrs_;
  idsync_export_batch batch_{};
  bool sealed_ = false;
};

idsync_attr_op to_attr_op(store::ValueOp op);

}  // namespace idsync::exporter
