#include "exporter/export_step.hpp"

#include <rocksdb/write_batch.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <idsync/sdk.hpp>
#include <memory>

#include "common/call_thread.hpp"
#include "common/diag_collector.hpp"
#include "exporter/deletion_guard.hpp"
#include "exporter/export_progress.hpp"
#include "exporter/op_batch.hpp"
#include "exporter/outcome.hpp"
#include "exporter/result_collector.hpp"
#include "importer/connector_schema.hpp"
#include "store/connector_space.hpp"
#include "store/pending_export.hpp"
#include "store/prefix_scan.hpp"

namespace idsync::exporter {

importer::StepResult ExportResult::to_step_result() const {
  importer::StepResult r;
  r.status = status;
  r.message = message;
  r.error_kind = error_kind;
  r.resumed = resumed;
  r.counters = run_counters(counters);
  return r;
}

store::ImportCounters run_counters(const ExportCounters& c) {
  store::ImportCounters r;
  r.adds = c.adds;
  r.updates = c.updates;
  r.deletes = c.deletes;
  r.objects = c.adds + c.updates + c.deletes + c.errors;
  r.pages = c.batches;
  return r;
}

namespace {

int64_t system_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string plural(uint64_t n, const char* what) {
  return std::to_string(n) + " " + what + (n == 1 ? "" : "s");
}

// The state of one export run while it walks the pending exports. The connector sends one
// batch on a thread of its own (common::CallThread) while this thread reads and seals the
// next, and commits the results of the one before: batch N+1 goes out as soon as the
// connector returns from batch N, whose results are committed while it works on N+1. So a
// connector sees one export_batch call at a time, in batch order, and is not kept waiting for
// the step's own work; results are committed in batch order, each batch exactly as when sent
// and committed in turn. A batch whose call fails stops the walk before the next one goes out.
class ExportRun {
 public:
  ExportRun(store::Store& store, const std::string& name, const idsync_connector_type& type,
            idsync_connector* instance, const ExportStepOptions& options, uint32_t id,
            ExportProgress progress, store::SecretAttributes secrets)
      : store_(store),
        name_(name),
        type_(type),
        instance_(instance),
        options_(options),
        id_(id),
        progress_(std::move(progress)),
        secrets_(std::move(secrets)),
        add_named_anchors_(store::read_add_named_anchors(store, id)) {}

  // Walks every pending export after the checkpoint; false when the run stopped early.
  bool walk() {
    auto visit = [&](std::string_view anchor, std::string_view value) {
      store::PendingExport pe;
      store::decode_pending_export(value, pe);
      if (!batch_) batch_ = std::make_unique<OpBatch>();
      batch_->add(std::string(anchor), std::move(pe));
      if (batch_->size() >= std::max<uint32_t>(1, options_.batch_size)) return send();
      return true;
    };
    const std::string prefix = store::connector_prefix(id_);
    try {
      if (progress_.checkpoint.empty())
        store::scan_prefix(store_, store::Family::pending_export, prefix, visit);
      else
        store::scan_prefix_after(store_, store::Family::pending_export, prefix,
                                 progress_.checkpoint, visit);
    } catch (...) {
      // A batch already sent keeps its results, as it would have had it been committed before
      // the next one was read; the failure that stopped the walk is what the step reports.
      try {
        finish_sent();
      } catch (...) {
      }
      throw;
    }
    if (!stopped_ && batch_ && !batch_->empty()) send();
    finish_sent();
    return !stopped_;
  }

  const ExportProgress& progress() const { return progress_; }
  uint64_t violations() const { return violations_; }
  const std::string& first_violation() const { return first_violation_; }
  const std::string& stop_status() const { return stop_status_; }
  const std::string& stop_message() const { return stop_message_; }
  idsync_error_kind stop_kind() const { return stop_kind_; }
  const std::string& first_error() const { return first_error_; }

 private:
  // A batch handed to the connector, with what its call reports into.
  struct Sent {
    std::unique_ptr<OpBatch> batch;
    std::unique_ptr<ResultCollector> results;
    std::unique_ptr<common::DiagCollector> diag;
    idsync_status status = IDSYNC_OK;
  };

  int64_t now() const { return options_.now_unix_ms ? options_.now_unix_ms() : system_now_ms(); }

  // Sends the current batch once the connector has returned from the one in flight, then
  // commits that one's results while the connector works on the current batch; false stops the
  // walk. The connector still gets one call at a time, in batch order.
  bool send() {
    std::unique_ptr<OpBatch> batch = std::move(batch_);
    batch->seal(add_named_anchors_);  // while the connector still has the batch in flight
    Sent previous = take_sent();
    if (previous.batch && previous.status != IDSYNC_OK) return commit(previous);  // it stops
    if (options_.cancel && options_.cancel->load()) {
      if (previous.batch) commit(previous);
      stop("stopped-user", IDSYNC_ERR_NONE, "the export was cancelled; the rest is still pending");
      return false;
    }
    sent_.results = std::make_unique<ResultCollector>(batch->op_ids(), name_, options_.cancel);
    sent_.diag = std::make_unique<common::DiagCollector>(name_);
    sent_.batch = std::move(batch);
    caller_.start([this] {
      sent_.status = type_.export_batch(instance_, sent_.batch->get(), sent_.results->results(),
                                        sent_.diag->diag());
    });
    return previous.batch ? commit(previous) : true;
  }

  // Waits for the batch in flight (if any) and commits its results; false when the walk is
  // stopped.
  bool finish_sent() {
    Sent sent = take_sent();
    return sent.batch ? commit(sent) : !stopped_;
  }

  // Waits for the connector's call on the batch in flight and takes that batch (none: empty).
  Sent take_sent() {
    if (!sent_.batch) return {};
    try {
      caller_.wait();
    } catch (...) {
      sent_ = {};
      throw;
    }
    return std::move(sent_);
  }

  // Commits a returned batch's results; false when its call failed, which stops the walk.
  bool commit(Sent& sent) {
    const idsync_status status = sent.status;
    const OpBatch& batch = *sent.batch;
    ResultCollector& results = *sent.results;
    const common::DiagCollector& diag = *sent.diag;
    const std::string batch_message =
        diag.has_error() ? diag.error_message() : "connector returned " + sdk::status_name(status);
    results.fill_missing(status, diag.error_kind(), batch_message);
    commit_batch(store_, id_, batch, results, progress_, now(), secrets_);
    violations_ += results.violations();
    if (first_violation_.empty() && results.violations())
      first_violation_ = results.violation_messages().front();
    if (first_error_.empty()) {
      for (const BatchEntry& e : batch.entries())
        for (uint64_t op : e.op_ids)
          if (const OpResult& r = results.result(op); r.status != IDSYNC_OK && first_error_.empty())
            first_error_ = e.pending.dn.empty() ? r.message : e.pending.dn + ": " + r.message;
    }
    if (options_.on_progress) options_.on_progress(progress_.counters);
    if (status != IDSYNC_OK) {
      stop(importer::stopped_status(status, diag.error_kind()), diag.error_kind(),
           "the connector could not export a batch: " + batch_message);
      return false;
    }
    return true;
  }

  void stop(std::string status, idsync_error_kind kind, std::string message) {
    stopped_ = true;
    stop_status_ = std::move(status);
    stop_kind_ = kind;
    stop_message_ = std::move(message);
  }

  store::Store& store_;
  const std::string& name_;
  const idsync_connector_type& type_;
  idsync_connector* instance_;
  const ExportStepOptions& options_;
  uint32_t id_;
  ExportProgress progress_;
  const store::SecretAttributes secrets_;
  // Read after the schema refresh that precedes the run (refresh_secret_attributes).
  const store::AddNamedAnchors add_named_anchors_;
  std::unique_ptr<OpBatch> batch_;  // being filled
  Sent sent_;                       // with the connector, until finish_sent()
  bool stopped_ = false;
  std::string stop_status_, stop_message_, first_violation_, first_error_;
  idsync_error_kind stop_kind_ = IDSYNC_ERR_NONE;
  uint64_t violations_ = 0;
  // Last: destroyed first, waiting for a call still running before what it uses goes.
  common::CallThread caller_;
};

}  // namespace

namespace {
// Pending exports an export must have sent before it compacts the family (Store::compact).
constexpr uint64_t kCompactAfter = 10000;
}  // namespace

ExportResult run_export(store::Store& store, const std::string& connector_name,
                        const idsync_connector_type& type, idsync_connector* instance,
                        const ExportStepOptions& options) {
  ExportResult result;
  if (!type.export_batch) {
    result.status = "stopped-unsupported";
    result.message = "connector type " + std::string(type.type_id) + " does not support export";
    return result;
  }
  try {
    const uint32_t id = store.connector_id(connector_name);
    const ExportProgressRecord record(store, id);
    ExportProgress progress;
    if (auto interrupted = record.get()) {
      progress = std::move(*interrupted);
      result.resumed = true;
      spdlog::info("[{}] continuing the interrupted export after {} committed batches",
                   connector_name, progress.counters.batches);
    } else {
      progress.started_unix_ms = options.now_unix_ms ? options.now_unix_ms() : system_now_ms();
    }
    result.counters = progress.counters;

    const PendingCounts pending = count_pending(store, id, progress.checkpoint);
    if (options.staging_mode) {
      result.status = "success";
      result.message = "staging mode: " + plural(pending.total, "pending export") + " not sent";
      result.counters.adds = pending.adds + pending.delete_adds;
      result.counters.updates = pending.updates;
      result.counters.deletes = pending.deletes + pending.delete_adds;
      result.counters.skipped = pending.total;
      return result;
    }
    // Counting the connector space reads all of it: only a percentage threshold needs it.
    const uint64_t space = options.deletion_threshold_enabled && options.deletion_threshold_percent
                               ? store::ConnectorSpace(store, id).count()
                               : 0;
    if (exceeds_deletion_threshold(pending.deletes, space, options)) {
      if (!options.allow_deletes_once) {
        result.status = "stopped-deletion-threshold-exceeded";
        result.message =
            deletion_threshold_message(pending.deletes, space, options, connector_name);
        result.counters.skipped = pending.total;
        return result;
      }
      spdlog::warn("[{}] exporting {} above the deletion threshold: allowed once", connector_name,
                   plural(pending.deletes, "delete"));
    }

    // What is sent decides what its results may keep. With nothing to send the connector is
    // not asked (reading a directory's schema means connecting to it).
    store::SecretAttributes secrets =
        pending.total > 0
            ? importer::refresh_secret_attributes(store, id, connector_name, type, instance)
            : store::read_secret_attributes(store, id);
    ExportRun run(store, connector_name, type, instance, options, id, std::move(progress),
                  std::move(secrets));
    const store::WritesFinishedOnExit finished(store);
    bool completed = false;
    try {
      completed = run.walk();
    } catch (...) {
      result.counters = run.progress().counters;  // what was committed before the failure
      throw;
    }
    store.wait_for_writes();  // the last batch's results (commit_batch writes behind)
    result.counters = run.progress().counters;
    result.contract_violations = run.violations();
    if (!completed) {
      // The progress record stays: the next run continues after the last committed batch.
      result.counters.skipped = count_pending(store, id, run.progress().checkpoint).total;
      result.status = run.stop_status();
      result.error_kind = run.stop_kind();
      result.message = run.stop_message();
      return result;
    }
    rocksdb::WriteBatch done;
    record.clear(done);
    store.write(done);

    const ExportCounters& c = result.counters;
    // Each pending export sent left a tombstone that the next export's count and walk would
    // step over (Store::compact).
    if (c.adds + c.updates + c.deletes >= kCompactAfter)
      store.compact(store::Family::pending_export, store::connector_prefix(id));
    if (c.errors > 0) {
      result.status = "completed-export-errors";
      // A resumed run that sent nothing new knows its errors only from the store.
      const std::string first =
          run.first_error().empty()
              ? "their errors: idsync pending-exports --connector " + connector_name
              : "first: " + run.first_error();
      result.message = plural(c.errors, "pending export") +
                       " failed and stay pending for the next export (" + first + ")";
    } else if (run.violations() > 0) {
      result.status = "completed-warnings";
      result.message = "the connector broke the export result contract " +
                       plural(run.violations(), "time") + " (first: " + run.first_violation() + ")";
    } else {
      result.status = "success";
    }
    if (c.errors > 0 && run.violations() > 0)
      result.message += "; the connector also broke the export result contract " +
                        plural(run.violations(), "time") + " (first: " + run.first_violation() +
                        ")";
    return result;
  } catch (const std::exception& e) {
    result.status = "stopped-store-error";
    result.error_kind = IDSYNC_ERR_INTERNAL;
    result.message = e.what();
    return result;
  }
}

}  // namespace idsync::exporter
