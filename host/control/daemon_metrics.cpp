#include "control/daemon_metrics.hpp"

#include <rocksdb/db.h>

#include <boost/json.hpp>

#include "metrics_http/prometheus_text.hpp"
#include "scheduler/scheduler_record.hpp"
#include "scheduler/scheduler_view.hpp"
#include "store/admin_settings.hpp"
#include "store/codec.hpp"
#include "store/pending_export.hpp"
#include "store/run_history.hpp"

namespace idsync::control {

namespace {

double seconds_since_epoch(std::chrono::system_clock::time_point t) {
  return std::chrono::duration<double>(t.time_since_epoch()).count();
}

// The newest history record of each (connector, step), and each connector's newest success.
struct LastSteps {
  std::map<std::pair<std::string, std::string>, store::RunRecord> last;
  std::map<std::string, int64_t> last_success_ms;
};

// Reads the run history with RocksDB's own iterator, which is safe beside the job's writes.
LastSteps last_steps(store::Store& store) {
  LastSteps out;
  store::RunHistory(store).for_each_newest_first([&](const store::RunRecord& r) {
    out.last.emplace(std::pair{r.connector, r.step}, r);
    const bool ok = r.status == "success" || r.status == "completed-warnings" ||
                    r.status == "completed-sync-errors";
    if (ok) out.last_success_ms.emplace(r.connector, r.ended_unix_ms);
    return true;
  });
  return out;
}

}  // namespace

void DaemonMetrics::count(const runtime::CycleReport& report) {
  {
    const std::lock_guard lock(mutex_);
    const std::string result = report.cancelled ? "stopped" : report.ok() ? "ok" : "failed";
    ++cycles_[{manifest::to_string(report.policy), result}];
  }
  for (const auto& run : report.runs) count(run);
}

void DaemonMetrics::count(const runtime::ProfileReport& report) {
  const std::lock_guard lock(mutex_);
  for (const auto& s : report.steps) ++steps_[{report.connector, s.step, s.result.status}];
  pending_.clear();  // the job changed them: the next scrape counts again
}

DaemonMetrics::PendingCounts DaemonMetrics::pending_of(uint32_t connector_id) {
  const auto now = std::chrono::steady_clock::now();
  {
    const std::lock_guard lock(mutex_);
    if (auto it = pending_.find(connector_id);
        it != pending_.end() && now - it->second.first < kPendingRefresh)
      return it->second.second;
  }
  PendingCounts counts;
  const std::string prefix = store::connector_prefix(connector_id);
  const std::string upper = store::connector_prefix(connector_id + 1);  // big-endian ids
  const rocksdb::Slice upper_slice(upper);
  rocksdb::ReadOptions options;
  options.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(
      store_.db().NewIterator(options, store_.family(store::Family::pending_export)));
  for (it->Seek(prefix); it->Valid(); it->Next()) {
    // A record starts with its format byte and its kind (pending_export.hpp): the kind is
    // all a count needs, so records are not decoded whole.
    const rocksdb::Slice v = it->value();
    if (v.size() < 2) continue;
    switch (static_cast<store::ExportKind>(v[1])) {
      case store::ExportKind::add:
        ++counts.add;
        break;
      case store::ExportKind::update:
        ++counts.update;
        break;
      case store::ExportKind::remove:
        ++counts.remove;
        break;
      case store::ExportKind::remove_add:
        ++counts.remove_add;
        break;
    }
  }
  const std::lock_guard lock(mutex_);
  pending_[connector_id] = {now, counts};
  return counts;
}

std::string DaemonMetrics::render(const manifest::Manifest& m) {
  metrics::PrometheusText page;
  page.gauge("idsync_up", "1 while idsyncd serves", {}, 1);
  const auto running = jobs_.status();
  page.gauge("idsync_job_running", "1 while a sync cycle or run profile runs",
             {{"what", running ? running->what : ""}}, running ? 1 : 0);

  const auto now = std::chrono::system_clock::now();
  const auto record = scheduler::read_scheduler_record(store_);
  const auto view =
      scheduler::view_scheduler(m.scheduler, record, store::read_staging_mode(store_), now);
  page.gauge("idsync_sync_cycle_enabled", "SyncCycleEnabled", {}, view.sync_cycle_enabled);
  page.gauge("idsync_staging_mode_enabled", "StagingModeEnabled", {}, view.staging_mode_enabled);
  page.gauge("idsync_sync_cycle_next_start_timestamp_seconds", "NextSyncCycleStartTimeInUTC", {},
             seconds_since_epoch(view.next_sync_cycle_start_time));
  if (record.last_cycle_started)
    page.gauge("idsync_sync_cycle_last_start_timestamp_seconds", "When the last cycle started", {},
               seconds_since_epoch(*record.last_cycle_started));
  if (record.last_cycle_started && record.last_cycle_ended &&
      *record.last_cycle_ended >= *record.last_cycle_started) {
    page.gauge("idsync_sync_cycle_last_end_timestamp_seconds", "When the last cycle ended", {},
               seconds_since_epoch(*record.last_cycle_ended));
    page.gauge("idsync_sync_cycle_last_duration_seconds", "How long the last cycle took", {},
               std::chrono::duration<double>(*record.last_cycle_ended - *record.last_cycle_started)
                   .count());
  }
  {
    const std::lock_guard lock(mutex_);
    for (const auto& [key, n] : cycles_)
      page.counter("idsync_sync_cycles_total", "Cycles run since idsyncd started, by outcome",
                   {{"policy", key.first}, {"result", key.second}}, static_cast<double>(n));
    for (const auto& [key, n] : steps_)
      page.counter("idsync_steps_total", "Steps run since idsyncd started, by run-history status",
                   {{"connector", std::get<0>(key)},
                    {"step", std::get<1>(key)},
                    {"status", std::get<2>(key)}},
                   static_cast<double>(n));
  }

  const LastSteps steps = last_steps(store_);
  for (const auto& [key, r] : steps.last) {
    const metrics::PrometheusText::Labels labels{{"connector", key.first}, {"step", key.second}};
    const bool ok = r.status == "success" || r.status == "completed-warnings" ||
                    r.status == "completed-sync-errors";
    page.gauge("idsync_step_last_success",
               "1 when the connector's last step of this kind "
               "succeeded",
               labels, ok);
    page.gauge("idsync_step_last_duration_seconds", "Duration of the last step of this kind",
               labels, static_cast<double>(r.ended_unix_ms - r.started_unix_ms) / 1000.0);
    page.gauge("idsync_step_last_objects", "Objects the last step of this kind handled", labels,
               static_cast<double>(r.counters.objects));
    page.gauge("idsync_step_last_errors", "Object errors in the last step of this kind", labels,
               static_cast<double>(r.counters.errors));
  }
  for (const auto& [connector, ms] : steps.last_success_ms)
    page.gauge("idsync_connector_last_success_timestamp_seconds",
               "When the connector's newest successful step ended", {{"connector", connector}},
               static_cast<double>(ms) / 1000.0);

  for (const auto& decl : m.connectors) {
    const auto id = store_.find_connector_id(decl.name);
    const PendingCounts p = id ? pending_of(*id) : PendingCounts{};
    const char* help = "Pending exports waiting for the connector's next export, by kind";
    page.gauge("idsync_pending_exports", help, {{"connector", decl.name}, {"kind", "add"}},
               static_cast<double>(p.add));
    page.gauge("idsync_pending_exports", help, {{"connector", decl.name}, {"kind", "update"}},
               static_cast<double>(p.update));
    page.gauge("idsync_pending_exports", help, {{"connector", decl.name}, {"kind", "delete"}},
               static_cast<double>(p.remove));
    page.gauge("idsync_pending_exports", help, {{"connector", decl.name}, {"kind", "delete-add"}},
               static_cast<double>(p.remove_add));
  }
  return page.text();
}

}  // namespace idsync::control
