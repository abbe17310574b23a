// A second thread that writes a step's batches while the step computes its next batch.
//
// A sync step spends about a third of its time in RocksDB's Write (the write-ahead log and the
// memtable inserts), on one core of the two a small server has. Store::write_behind() hands a
// batch to this thread and returns at once; until the batch is written, the store answers
// every read as if it were: a read of a key the batch touches (or an iterator over a range
// holding one) first waits for the write (WrittenKeys says which keys those are). Reads of
// other keys see the same data before and after the write, so they need not wait.
//
// One batch is in flight at a time and batches are written in the order given, each in one
// atomic RocksDB write with the write-ahead log on: a crash leaves exactly the states that
// writing them one by one in the caller's thread leaves.
#pragma once

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/call_thread.hpp"

namespace idsync::store {

// The keys of one batch, per family (indexed as Store indexes its families), each family sorted
// when a query first needs it. They point into the batch, which must outlive this index.
class WrittenKeys {
 public:
  // `family_of_cf` maps a RocksDB column family id to the family index (or -1: not ours).
  WrittenKeys(const rocksdb::WriteBatch& batch, const std::vector<int>& family_of_cf,
              size_t families);

  // Whether the batch writes `key` in family `family`.
  bool touches(size_t family, std::string_view key) const;
  // Whether the batch writes any of `keys` (sorted) in family `family`: one merge of the two
  // sorted lists, for a MultiGet's many keys.
  bool touches_any(size_t family, const std::vector<std::string_view>& keys) const;
  // Whether the batch writes a key of family `family` in [lower, upper); an empty `upper` is
  // no upper bound.
  bool touches_range(size_t family, std::string_view lower, std::string_view upper) const;
  // The batch's keys of family `family`, in no particular order (sorted once a query above
  // sorted them): for a cache of that family's records to drop what the batch may have changed,
  // with one pass over what it wrote and no sort.
  const std::vector<std::string_view>& listed(size_t family) const { return keys_[family]; }
  // Whether the batch may write any key of family `family` (a range delete, or keys unknown):
  // listed() does not list them all.
  bool whole(size_t family) const { return whole_[family]; }

 private:
  // A family's keys, sorted on its first query: most batches write families that the next
  // batch never reads while this one is in flight, and sorting every family cost a sync step
  // a few percent. Queries come from one thread (Store::write_behind's caller, the only one
  // reading the store meanwhile), so the sort needs no lock.
  const std::vector<std::string_view>& sorted(size_t family) const;

  mutable std::vector<std::vector<std::string_view>> keys_;  // per family
  mutable std::vector<bool> sorted_;                         // per family: keys_ is sorted
  std::vector<bool> whole_;  // per family: a range delete, or unknown keys
};

class BatchWriter {
 public:
  // `before_write` (for tests) runs on the writer thread before each write; a status other
  // than OK stands for the write's, which is then not attempted.
  explicit BatchWriter(rocksdb::DB& db, std::function<rocksdb::Status()> before_write = {});
  // Writes the batch in flight, if any; its status is lost (call wait() first to learn it).
  ~BatchWriter() = default;
  BatchWriter(const BatchWriter&) = delete;
  BatchWriter& operator=(const BatchWriter&) = delete;

  // Hands `batch` to the writer thread, with the index of its keys (WrittenKeys, built with
  // `family_of_cf` and `families`). The batch before it must have been waited for.
  void submit(rocksdb::WriteBatch batch, const std::vector<int>& family_of_cf, size_t families);
  // Waits until the batch in flight is written; its status (OK when none was in flight).
  rocksdb::Status wait();

  // The batch in flight (submitted and not waited for), or nullptr.
  const WrittenKeys* in_flight() const { return current_.keys ? &*current_.keys : nullptr; }

  // Batches are numbered from 1 in the order submitted. How many were submitted, and how many
  // waited for (all of those are written).
  uint64_t submitted() const { return submitted_; }
  uint64_t waited() const { return waited_; }
  // The keys of the batches numbered after `after`, oldest first, when the writer still has
  // them all: it keeps the batch in flight and the one waited for last. nullopt otherwise.
  // Each stays valid until the next wait() (the batch waited for last: the next submit()).
  std::optional<std::vector<const WrittenKeys*>> written_after(uint64_t after) const;

 private:
  // A submitted batch and the index of its keys, which point into it: the batch stays where it
  // was put while the index lives.
  struct Held {
    std::unique_ptr<rocksdb::WriteBatch> batch;
    std::optional<WrittenKeys> keys;
  };
  void wait_for_thread();

  rocksdb::DB& db_;
  const std::function<rocksdb::Status()> before_write_;
  Held current_;            // submitted and not yet waited for (no keys when none)
  Held previous_;           // the batch waited for last, for written_after()
  rocksdb::Status status_;  // of the last write: set by the thread, read after wait()
  uint64_t submitted_ = 0;
  uint64_t waited_ = 0;
  // Last: destroyed first, finishing a write in flight before what it uses goes.
  common::CallThread thread_;
};

}  // namespace idsync::store
