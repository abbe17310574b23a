// Where an inbound sync of one connector stands, in the `progress` family under
// connector id + "sync". Written in every batch the step commits, so after a crash the store
// says exactly which objects are done: a rerun resumes after `last_anchor` with the same kind
// and adds to the same counters. The completing batch deletes it.
#pragma once

#include <rocksdb/write_batch.h>

#include <cstdint>
#include <optional>
#include <string>

#include "store/store.hpp"
#include "sync/options.hpp"

namespace idsync::sync {

struct SyncProgress {
  SyncKind kind = SyncKind::full;
  std::string last_anchor;  // the last anchor committed (CS anchor, or queued anchor)
  InboundResult counters;   // only the counters are stored, not the error lists
};

class SyncProgressRecord {
 public:
  SyncProgressRecord(store::Store& store, uint32_t connector_id);

  std::optional<SyncProgress> get() const;
  void put(rocksdb::WriteBatch& batch, const SyncProgress& progress) const;
  void clear(rocksdb::WriteBatch& batch) const;

 private:
  store::Store& store_;
  std::string key_;
};

}  // namespace idsync::sync
