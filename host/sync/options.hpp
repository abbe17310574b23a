// What a caller chooses for one inbound sync step, and what the step reports back.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "expressions/registry.hpp"

namespace idsync::sync {

enum class SyncKind : uint8_t { full = 1, delta = 2 };

// What disconnecting a CS object (out of scope, or deleted in its source) does to its MV object.
enum class Deprovisioning : uint8_t {
  // The link goes; the MV object stays, minus the attribute values this connector supplied.
  make_disconnector,
  // As above, and the MV object is deleted (a tombstone) when no other linked connector has an
  // inbound Provision rule for its type: the last authoritative source went.
  delete_mv_when_last_authoritative_source_goes,
};

struct InboundOptions {
  SyncKind kind = SyncKind::delta;
  Deprovisioning deprovisioning = Deprovisioning::make_disconnector;
  // CS objects per WriteBatch (each batch commits with the step's progress record).
  std::size_t batch_size = 1000;
  // Read each batch's records on a second thread while the batch before it computes
  // (read_ahead.hpp). Off, the step reads each batch when it gets to it: the same result.
  bool read_ahead = true;
  // Functions beyond the built-ins that rule expressions may call; may be null. Must outlive
  // the InboundSync.
  const expr::FunctionRegistry* functions = nullptr;
  // The time recorded in provenance and returned by Now(); unset: the clock at step start.
  // Pinned by tests so that two runs produce byte-equal metaverses.
  std::optional<int64_t> now_unix_ms;
  // Testing aid for crash safety: stop (as if the process died) after committing this many
  // batches. The step then reports completed == false and a rerun resumes.
  std::optional<std::size_t> stop_after_batches;
  // Set by the host to stop the step at the next batch boundary (idsync sync-cycle stop, the
  // daemon's SIGTERM). The step then reports completed == false, as above, and the next run
  // resumes where it stopped. May be null.
  const std::atomic<bool>* cancel = nullptr;
  // At most this many per-object errors are listed in the result (all are counted).
  std::size_t max_listed_errors = 100;
};

struct ObjectError {
  std::string anchor;
  std::string message;
  bool operator==(const ObjectError&) const = default;
};

// Totals of one step. When a step resumes an interrupted one, the counters include the batches
// the interrupted run committed (they are kept in the progress record); the error lists only
// cover this run.
struct InboundResult {
  SyncKind kind = SyncKind::full;  // what actually ran (a first Delta Sync runs as Full)
  bool completed = false;
  uint64_t objects = 0;        // CS objects processed (queued anchors, for Delta Sync)
  uint64_t projections = 0;    // new MV objects
  uint64_t joins = 0;          // links made to existing MV objects
  uint64_t disconnectors = 0;  // links removed
  uint64_t mv_deletes = 0;     // MV objects tombstoned by deprovisioning
  uint64_t flow_updates = 0;   // MV attributes whose values changed
  uint64_t join_errors = 0;    // ambiguous joins and join conflicts; the object stays unlinked
  uint64_t errors = 0;         // objects skipped because of an error (their queue entry stays)
  uint64_t batches = 0;        // batches committed by this run
  std::vector<ObjectError> join_error_list;  // first max_listed_errors
  std::vector<ObjectError> error_list;       // first max_listed_errors
};

}  // namespace idsync::sync

namespace idsync::sync {

struct OutboundOptions {
  // Dirty MV objects per WriteBatch.
  std::size_t batch_size = 1000;
  // Functions beyond the built-ins that rule expressions may call; may be null.
  const expr::FunctionRegistry* functions = nullptr;
  // The time given to Now() and recorded in pending exports; unset: the clock at step start.
  std::optional<int64_t> now_unix_ms;
  // Testing aid for crash safety, as in InboundOptions.
  std::optional<std::size_t> stop_after_batches;
  // A stop request, as in InboundOptions: the marks not yet evaluated stay for the next run.
  const std::atomic<bool>* cancel = nullptr;
  std::size_t max_listed_errors = 100;
};

struct OutboundResult {
  bool completed = false;
  uint64_t objects = 0;        // dirty MV objects evaluated
  uint64_t provisioned = 0;    // new CS objects with a pending add (export adds)
  uint64_t updated = 0;        // linked CS objects whose pending export gained changes
  uint64_t deprovisioned = 0;  // CS objects given a pending delete (export deletes)
  uint64_t disconnected = 0;   // links removed without a delete (Join-only targets)
  uint64_t purged = 0;         // deleted MV objects removed once they had no links left
  uint64_t errors = 0;         // MV objects skipped for an error (their mark stays)
  uint64_t batches = 0;
  std::vector<ObjectError> error_list;  // anchor: "mv:<id>"
};

}  // namespace idsync::sync
