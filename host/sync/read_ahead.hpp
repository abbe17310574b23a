// Reads a sync step's next batch (batch_reads.hpp) on a thread of its own while the step
// computes the current one, so that the step's thread finds the reads done.
//
// The step's thread calls start() once it knows where the next batch begins (after the
// current batch's last anchor), then computes the current batch and gives it to
// Store::write_behind(), then take()s the next batch's reads. The reader reads the store as it
// is: it may or may not see the batches not yet written when it began (the one before the
// current batch may still be in flight, and the current one is not even computed). take()
// drops what those batches may have changed (drop_written, from their keys:
// Store::written_after), so that what is left is exactly what a read after their writes would
// give; whatever the step asks for that is no longer there it reads alone, after the writes.
// When take() cannot tell what those batches changed (the store no longer holds their keys, or
// one was written with Store::write()), or one of them wrote among the next batch's own
// records, it gives nothing and the step reads the batch itself.
//
// A batch's reads and what the step made of them are many small records; discard() hands those
// of a batch done with to the reader, which frees them before its next reads, off the step's
// thread.
//
// Contract: one owner thread calls start(), take(), discard() and the destructor; start() and
// take() alternate. The destructor waits for reads under way (their result and errors are dropped).
// The plan and the store must outlive the ReadAhead.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/call_thread.hpp"
#include "sync/batch_reads.hpp"

namespace idsync::sync {

class ReadAhead {
 public:
  explicit ReadAhead(const BatchReadPlan& plan) : plan_(plan) {}

  // Starts reading the batch that begins after `after`.
  void start(std::string after);
  // The reads start() began, less what the batches written since may have changed; nullopt
  // when none was started or they cannot be used (above). Rethrows what the reads threw.
  std::optional<BatchReads> take();
  // Something the step is done with (a batch's reads, the overlay's spent state): freed on the
  // reader thread when the next start() begins, or by the destructor. With no reads under way
  // (none started, or taken) no start() may follow: it is freed at once, here.
  void discard(std::shared_ptr<void> spent) {
    if (started_ && spent) spent_.push_back(std::move(spent));
  }

 private:
  const BatchReadPlan& plan_;
  bool started_ = false;
  uint64_t direct_writes_ = 0;  // Store::direct_writes() then
  uint64_t seen_ = 0;  // Store::batches_waited() when start() was called: written before it
  std::optional<BatchReads> reads_;             // written by the reader, read after thread_.wait()
  std::vector<std::shared_ptr<void>> spent_;    // discard()ed, owned by the step's thread
  std::vector<std::shared_ptr<void>> freeing_;  // spent_ as start() handed it to the reader
  common::CallThread thread_;                   // last: stopped before what its job uses goes
};

}  // namespace idsync::sync
