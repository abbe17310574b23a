// The export in progress (`progress` family: connector id + "export" -> ExportProgress).
//
// Written in the same WriteBatch as each batch's results, so after a crash or a stop the store
// says exactly which pending exports this export run has already dealt with: the rerun
// continues after `checkpoint` with the counters so far, and sends nothing twice nor skips
// anything. (A crash between the connector applying a batch and that WriteBatch resends the
// batch: the connector answers ALREADY_EXISTS/UNKNOWN_OBJECT, which is the at-least-once
// delivery every sync engine has.) Cleared when the export run ends by going through every
// pending export.
#pragma once

#include <rocksdb/write_batch.h>

#include <cstdint>
#include <optional>
#include <string>

#include "exporter/export_options.hpp"
#include "store/store.hpp"

namespace idsync::exporter {

struct ExportProgress {
  std::string checkpoint;  // the last pending export's anchor (key order) this run dealt with
  int64_t started_unix_ms = 0;
  ExportCounters counters;
  bool operator==(const ExportProgress&) const = default;
};

// Record: format byte, checkpoint, started, counters (varints). Throws store::CorruptRecord.
void encode_export_progress(const ExportProgress& p, std::string& out);
ExportProgress decode_export_progress(std::string_view value);

class ExportProgressRecord {
 public:
  ExportProgressRecord(store::Store& store, uint32_t connector_id)
      : store_(store), id_(connector_id) {}
  std::optional<ExportProgress> get() const;
  void put(rocksdb::WriteBatch& batch, const ExportProgress& p) const;
  void clear(rocksdb::WriteBatch& batch) const;

 private:
  std::string key() const;
  store::Store& store_;
  uint32_t id_;
};

}  // namespace idsync::exporter
