// Where an import stands. Persisted in the same WriteBatch as each staged page, so the store
// always knows exactly which pages of an interrupted import are in.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/store.hpp"

namespace idsync::store {

enum class ImportKind : uint8_t { full = 1, delta = 2 };

struct ImportCounters {
  uint64_t objects = 0;  // records received
  uint64_t adds = 0;
  uint64_t updates = 0;
  uint64_t renames = 0;
  uint64_t deletes = 0;
  uint64_t unchanged = 0;
  uint64_t pages = 0;
  // Sync steps (full_sync, delta_sync) share the record so that the run history has one shape;
  // imports leave them 0. Not part of the import progress record's encoding (which holds the
  // counters above and not_reimported).
  uint64_t projections = 0;    // new MV objects
  uint64_t joins = 0;          // CS objects joined to existing MV objects
  uint64_t disconnectors = 0;  // links removed
  uint64_t flow_updates = 0;   // MV attributes whose values changed
  uint64_t errors = 0;         // objects skipped for an error or a join error
  // Sync steps' outbound half: pending exports it created or changed, per kind (a provisioned
  // object is an export add, a deprovisioned one an export delete).
  uint64_t export_adds = 0;
  uint64_t export_updates = 0;
  uint64_t export_deletes = 0;
  // Imports: objects whose imported values differ from what the last export to them sent
  // (exported-change-not-reimported warnings). Kept in the import progress record, so a
  // resumed import reports the warnings of its earlier pages too.
  uint64_t not_reimported = 0;

  ImportCounters& operator+=(const ImportCounters& o);
};

// One object's problem in a step, as the run history lists it.
struct ObjectIssue {
  std::string anchor;  // the CS anchor (or "mv:<id>" for a metaverse object)
  // sync-error, join-error, export-error, exported-change-not-reimported, ...
  std::string kind;
  std::string message;
  bool operator==(const ObjectIssue&) const = default;
};

struct ImportProgress {
  ImportKind kind = ImportKind::full;
  uint64_t generation = 0;     // full import: the mark put on every object it sees
  std::string checkpoint;      // the connector's resume point after the last committed page
  std::string base_watermark;  // delta import: the watermark it started from
  int64_t started_unix = 0;
  ImportCounters counters;
  // Full import: the connector space held no object it could find missing when this
  // generation began, so every object there at its end is one it saw (a resumed import keeps
  // the answer of its start). Objects an export moves under their real anchors while an
  // interrupted import waits are left for the next full import to judge.
  bool started_empty = false;
};

// Records of one connector in the progress family.
class ProgressRecords {
 public:
  ProgressRecords(Store& store, uint32_t connector_id) : store_(store), id_(connector_id) {}

  std::optional<ImportProgress> in_progress() const;
  std::optional<std::string> watermark() const;
  uint64_t last_generation() const;
  // Whether a sync has ever completed for this connector. Until one has, the importer queues
  // nothing for sync: the first sync of a connector is a Full Sync, which reads every object,
  // so a first import of a million objects writes no million queue entries.
  bool synced_once() const;

  void put_in_progress(rocksdb::WriteBatch& batch, const ImportProgress& progress) const;
  void clear_in_progress(rocksdb::WriteBatch& batch) const;
  void put_watermark(rocksdb::WriteBatch& batch, std::string_view watermark) const;
  // When the last import (full or delta) completed, written with its watermark: the scheduler's
  // 7-day rule reads it. Nothing for a store whose imports all predate the record.
  std::optional<int64_t> last_import_completed_unix_ms() const;
  void put_import_completed(rocksdb::WriteBatch& batch, int64_t unix_ms) const;
  void put_last_generation(rocksdb::WriteBatch& batch, uint64_t generation) const;
  // Written by the sync engine in the batch that completes a connector's Full Sync.
  void put_synced_once(rocksdb::WriteBatch& batch) const;

 private:
  Store& store_;
  uint32_t id_;
};

}  // namespace idsync::store
