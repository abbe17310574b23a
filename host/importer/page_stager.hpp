// Stages imported records into a connector space, one page per WriteBatch. Each batch carries
// the import's progress (checkpoint, generation, counters), so after a crash the store holds
// whole pages only and knows where the connector must resume.
//
// Each object staged that has an export confirmation is checked against it (export_check.hpp)
// and the confirmation removed, in the page's batch: a difference is reported once, as an
// exported-change-not-reimported issue counted in not_reimported.
//
// An object met under the anchor of a placeholder awaiting its add (store::CsObject::
// awaiting_add) is in the connected system already: the placeholder's add is withdrawn and its
// MV object marked, so the next sync plans only what differs from the imported state.
//
// Pages commit on a background thread: while page N is looked up, merged and written, the
// connector already parses page N+1 (the two halves of an import take about the same time, and
// the host has two cores to give). At most one page is in flight, so memory stays at two pages,
// and pages commit strictly in order, so a page sees every earlier page's writes. A failed
// commit is reported by the next call.
#pragma once

#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <vector>

#include "common/delete_limit.hpp"
#include "importer/canonical_attributes.hpp"
#include "importer/import_record.hpp"
#include "importer/missing_objects.hpp"
#include "store/connector_space.hpp"
#include "store/cs_object.hpp"
#include "store/import_progress.hpp"
#include "store/secret_attributes.hpp"
#include "store/store.hpp"

namespace idsync::importer {

// The connector's data cannot be staged (an anchor pushed twice in one full import): the page
// is not written and the import stops with this kind and message.
class StagingError : public std::runtime_error {
 public:
  StagingError(idsync_error_kind kind, const std::string& message)
      : std::runtime_error(message), kind_(kind) {}
  idsync_error_kind kind() const { return kind_; }

 private:
  idsync_error_kind kind_;
};

// What a complete full import may delete (source_health.hpp).
struct DeletePolicy {
  common::DeleteLimit limit = common::kDefaultFullImportDeleteLimit;
  bool allow_once = false;  // an admin checked the source and lets the deletes through
};

class PageStager {
 public:
  // `progress` is the import's state: loaded from the store to resume, or new. `secrets`: the
  // connector's write-only attributes, dropped from what it pushes and never checked against
  // an export confirmation (store/secret_attributes.hpp).
  PageStager(store::Store& store, uint32_t connector_id, store::ImportProgress progress,
             DeletePolicy deletes = {}, store::SecretAttributes secrets = {});
  ~PageStager();
  PageStager(const PageStager&) = delete;
  PageStager& operator=(const PageStager&) = delete;

  // Takes a complete record into the page being filled, without its secret attributes.
  void add(ImportRecord&& record);
  // The secret attributes a connector pushed all the same (names as first spelled), for a
  // warning: the import contract says it never does.
  const std::vector<std::string>& dropped_secrets() const { return dropped_secrets_; }
  size_t buffered() const { return page_.size(); }
  // Drops the records not yet handed to commit_page (the page a failed import was building)
  // and waits for the page in flight, if any, to be written.
  void discard();

  // Hands the buffered records and the checkpoint to the committer, which writes them as one
  // atomic batch. Returns once the committer has taken them; throws if the previous page
  // failed to commit.
  void commit_page(std::string_view checkpoint);
  // Commits the last page and waits for it; for a full import that returned all results,
  // stages deletes for objects it did not see; then stores the watermark and ends the import.
  // When those deletes are over the policy's limit, it stages none of them, keeps the
  // watermark and ends the import without completing it (held_back() says why): the next
  // run is a new full import.
  void finish(bool all_results_returned, std::string_view watermark);

  store::ImportKind kind() const { return kind_; }
  // Totals of the pages committed so far.
  store::ImportCounters counters() const;
  // The exported-change-not-reimported issues of the pages committed so far (at most
  // store::kMaxListedIssues; counters().not_reimported counts them all).
  std::vector<store::ObjectIssue> issues() const;
  // The deletes finish() held back for the source-health guard, if it did.
  const std::optional<MissingObjects>& held_back() const { return held_back_; }

 private:
  // One object's lookup and, on the general path, its evolving state within a page.
  struct Slot {
    std::optional<std::string> original_value;  // encoded, as read from the store
    size_t records = 0;                         // records for this anchor in the page
    // Full import: where this anchor was first pushed in this import, once it has been.
    std::optional<std::string> first_source;
    bool decoded = false;  // took the general path
    std::string original_dn;
    std::optional<store::CsObject> state;
    bool seen = false;
    const ImportRecord* seen_record = nullptr;  // the last record that left the object present
    std::optional<std::string> confirmation;    // encoded, when an export awaits checking
  };
  struct Job {
    std::vector<ImportRecord> page;
    std::string checkpoint;
  };
  void committer();
  // Waits until no page is in flight; rethrows a commit failure.
  void wait_idle();
  void write_page(std::vector<ImportRecord>& page, const std::string& checkpoint);
  void stage_records(std::vector<ImportRecord>& page, rocksdb::WriteBatch& batch,
                     std::vector<store::ObjectIssue>& issues);
  // Checks the object's export confirmation against its final state in this page and drops it.
  void check_confirmation(std::string_view anchor, const Slot& slot, rocksdb::WriteBatch& batch,
                          store::ImportCounters& counters, std::vector<store::ObjectIssue>& issues);
  // For a placeholder awaiting its add that the import met under its anchor (apply_change.hpp):
  // drops its pending add and marks its MV object for outbound sync, in the page's batch.
  void withdraw_placeholder_add(std::string_view anchor, rocksdb::WriteBatch& batch);
  // The fast path for the common record: one complete, plain record of an object that is new
  // or unchanged. Returns false to send the record down the general path (apply_record).
  bool stage_simple(const ImportRecord& record, Slot& slot, const store::ConnectorSpace& cs,
                    rocksdb::WriteBatch& batch, store::ImportCounters& counters);
  // The cs_seen value for a record of this full import: the generation and the record's source.
  const std::string& seen_value(const ImportRecord& record);

  store::Store& store_;
  const uint32_t id_;
  const store::ImportKind kind_;
  const bool queue_for_sync_;  // the connector has been synced, so changes go to the queue
  const DeletePolicy deletes_;
  const store::SecretAttributes secrets_;
  std::vector<std::string> dropped_secrets_;  // the connector thread's, in add()
  std::optional<MissingObjects> held_back_;
  std::vector<ImportRecord> page_;  // being filled by the connector

  CanonicalAttributes canonical_;  // the connector thread's, in add()
  // Committer-thread scratch, reused across pages.
  std::string value_;
  std::string seen_;

  // Shared with the committer thread.
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  store::ImportProgress progress_;  // as committed
  std::vector<store::ObjectIssue> issues_;
  std::optional<Job> job_;  // the page in flight
  std::exception_ptr failure_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace idsync::importer
