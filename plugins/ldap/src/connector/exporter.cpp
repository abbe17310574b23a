#include "exporter.hpp"

#include <optional>

#include "export_add.hpp"
#include "export_changes.hpp"
#include "export_delete.hpp"
#include "export_outcome.hpp"
#include "export_update.hpp"

namespace idsync::ldap {

namespace {

// Reconnections a batch may make after losing its connection.
constexpr int kReconnects = 2;

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

OpOutcome outcome_of(const sdk::Error& e) {
  // An operation's result is OK, RETRY or ERROR; a broken instance is an error of this operation.
  const idsync_status status = e.status() == IDSYNC_RETRY ? IDSYNC_RETRY : IDSYNC_ERROR;
  return OpOutcome::failed(e.kind(), e.what(), status);
}

class BatchExport {
 public:
  BatchExport(DirectorySession& session, sdk::ExportResults& results)
      : session_(session), results_(results) {}

  void run(const std::vector<sdk::ExportOp>& ops) {
    for (const sdk::ExportOp& op : ops) {
      if (!stop_ && results_.cancelled()) {
        cancelled_ = true;
        stop_ = OpOutcome::failed(IDSYNC_ERR_NONE,
                                  "the export was stopped before this operation was sent; it is "
                                  "sent at the next export",
                                  IDSYNC_RETRY);
      }
      if (!stop_) connect();
      if (stop_) {
        report(results_, op.op_id, *stop_);
        continue;
      }
      std::vector<std::string> secrets;
      report(results_, op.op_id, export_one(op, secrets), secrets);
    }
    // Every operation has its result. A batch cut short also tells the host why, so that the
    // export step stops (stopped-user, stopped-connectivity) instead of sending the next batch
    // into the same wall.
    if (cancelled_) throw sdk::Stopped();
    if (stop_) throw sdk::Error(stop_->kind, stop_reason_, stop_->status);
  }

 private:
  // Opens the connection (again, after it was lost) and loads the schema; on failure, sets
  // stop_ so that no further operation is sent.
  void connect() {
    try {
      if (connection_ && !connection_->is_open()) {
        if (reconnects_left_ == 0)
          throw sdk::Error(IDSYNC_ERR_CONNECTION,
                           "the connection to the directory was lost " +
                               std::to_string(kReconnects + 1) + " times in this batch",
                           IDSYNC_RETRY);
        --reconnects_left_;
        if (session_.diag())
          session_.diag()->warn("the connection to the directory was lost; reconnecting");
      }
      connection_ = &session_.connection();
      session_.schema();
    } catch (const sdk::Error& e) {
      stop_ = outcome_of(e);
    } catch (const std::exception& e) {
      stop_ = OpOutcome::failed(IDSYNC_ERR_INTERNAL, e.what());
    }
    if (stop_) {
      stop_reason_ = stop_->message;
      stop_->message = "not sent: " + stop_->message;
    }
  }

  OpOutcome export_one(const sdk::ExportOp& op, std::vector<std::string>& secrets) {
    try {
      if (op.kind == IDSYNC_EXPORT_DELETE) return export_delete(session_, op);
      if (op.kind != IDSYNC_EXPORT_ADD && op.kind != IDSYNC_EXPORT_UPDATE)
        return OpOutcome::failed(IDSYNC_ERR_INVALID_VALUE,
                                 "unknown export operation kind " + std::to_string(op.kind));
      const ExportChanges changes = build_changes(op, session_.options(), session_.schema());
      secrets = changes.secrets;
      if (!changes.skipped.empty() && session_.diag())
        session_.diag()->log(IDSYNC_LOG_DEBUG,
                             "export of \"" + std::string(op.dn) +
                                 "\": read-only attributes left out: " + join(changes.skipped));
      return op.kind == IDSYNC_EXPORT_ADD ? export_add(session_, op, changes)
                                          : export_update(session_, op, changes);
    } catch (const sdk::Error& e) {
      return outcome_of(e);
    } catch (const std::exception& e) {
      return OpOutcome::failed(IDSYNC_ERR_INTERNAL, e.what());
    }
  }

  DirectorySession& session_;
  sdk::ExportResults& results_;
  Connection* connection_ = nullptr;
  int reconnects_left_ = kReconnects;
  std::optional<OpOutcome> stop_;  // once set, the result of every remaining operation
  std::string stop_reason_;        // why the directory cannot be reached
  bool cancelled_ = false;
};

}  // namespace

void run_export(DirectorySession& session, const std::vector<sdk::ExportOp>& ops,
                sdk::ExportResults& results) {
  BatchExport(session, results).run(ops);
}

}  // namespace idsync::ldap
