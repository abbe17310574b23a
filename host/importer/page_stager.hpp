// Stages imported records into a connector space, one page per WriteBatch. Each batch carries
// the import's progress (checkpoint, generation, counters), so after a crash the store holds
// whole pages only and knows where the connector must resume.
#pragma once

#include <string_view>
#include <vector>

#include "importer/import_record.hpp"
#include "store/import_progress.hpp"
#include "store/store.hpp"

namespace idsync::importer {

class PageStager {
 public:
  // `progress` is the import's state: loaded from the store to resume, or new.
  PageStager(store::Store& store, uint32_t connector_id, store::ImportProgress progress);

  void add(ImportRecord&& record) { page_.push_back(std::move(record)); }
  size_t buffered() const { return page_.size(); }
  // Drops the records not yet committed (the page a failed import was building).
  void discard() { page_.clear(); }

  // Commits the buffered records and the checkpoint as one atomic write.
  void commit_page(std::string_view checkpoint);
  // Commits the last page; for a full import that returned all results, stages deletes for
  // objects it did not see; then stores the watermark and ends the import.
  void finish(bool all_results_returned, std::string_view watermark);

  const store::ImportProgress& progress() const { return progress_; }

 private:
  void stage_records(rocksdb::WriteBatch& batch);
  void stage_missing_as_deleted();

  store::Store& store_;
  uint32_t id_;
  store::ImportProgress progress_;
  std::vector<ImportRecord> page_;
};

}  // namespace idsync::importer
