#include "scheduler/scheduler_view.hpp"

#include <ctime>
#include <sstream>
#include <utility>
#include <vector>

#include "manifest/intervals.hpp"
#include "scheduler/schedule.hpp"

namespace idsync::scheduler {

namespace json = boost::json;

bool SchedulerView::cycle_due(TimePoint now) const {
  return sync_cycle_enabled && !scheduler_suspended && next_sync_cycle_start_time <= now;
}

SchedulerView view_scheduler(const manifest::SchedulerSettings& m, const SchedulerRecord& r,
                             bool store_staging_mode, TimePoint now) {
  SchedulerView v;
  v.allowed_sync_cycle_interval = m.allowed_sync_cycle_interval;
  v.customized_sync_cycle_interval =
      r.customized_sync_cycle_interval.or_else(m.customized_sync_cycle_interval);
  v.currently_effective_sync_cycle_interval =
      effective_interval(v.allowed_sync_cycle_interval, v.customized_sync_cycle_interval);
  v.next_sync_cycle_policy_type =
      r.next_sync_cycle_policy_type.or_else(m.next_sync_cycle_policy_type);
  v.purge_run_history_interval = r.purge_run_history_interval.or_else(m.purge_run_history_interval);
  v.sync_cycle_enabled = r.sync_cycle_enabled.or_else(m.sync_cycle_enabled);
  v.maintenance_enabled = r.maintenance_enabled.or_else(m.maintenance_enabled);
  v.staging_mode_enabled = m.staging_mode_enabled || store_staging_mode;
  v.scheduler_suspended = r.scheduler_suspended;
  v.active_hours = r.active_hours.or_else(m.active_hours);
  v.last_cycle_started = r.last_cycle_started;
  v.last_cycle_ended = r.last_cycle_ended;
  v.next_sync_cycle_start_time = next_cycle_start(
      r.last_cycle_started, v.currently_effective_sync_cycle_interval, v.active_hours, now);
  return v;
}

std::string format_utc(TimePoint t) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm utc{};
  gmtime_r(&secs, &utc);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buf;
}

namespace {

// Name and JSON value of each member, in Get-ADSyncScheduler's order.
std::vector<std::pair<std::string, json::value>> members(const SchedulerView& v) {
  auto interval = [](std::chrono::seconds s) { return json::value(manifest::format_interval(s)); };
  auto time = [](const std::optional<TimePoint>& t) {
    return t ? json::value(format_utc(*t)) : json::value(nullptr);
  };
  return {
      {"AllowedSyncCycleInterval", interval(v.allowed_sync_cycle_interval)},
      {"CurrentlyEffectiveSyncCycleInterval", interval(v.currently_effective_sync_cycle_interval)},
      {"CustomizedSyncCycleInterval", v.customized_sync_cycle_interval
                                          ? interval(*v.customized_sync_cycle_interval)
                                          : json::value(nullptr)},
      {"NextSyncCyclePolicyType", json::value(manifest::to_string(v.next_sync_cycle_policy_type))},
      {"NextSyncCycleStartTimeInUTC", time(v.next_sync_cycle_start_time)},
      {"PurgeRunHistoryInterval", interval(v.purge_run_history_interval)},
      {"SyncCycleEnabled", json::value(v.sync_cycle_enabled)},
      {"MaintenanceEnabled", json::value(v.maintenance_enabled)},
      {"StagingModeEnabled", json::value(v.staging_mode_enabled)},
      {"SchedulerSuspended", json::value(v.scheduler_suspended)},
      {"ActiveHours", v.active_hours ? json::value(manifest::format_active_hours(*v.active_hours))
                                     : json::value(nullptr)},
      {"LastSyncCycleStartTimeInUTC", time(v.last_cycle_started)},
      {"LastSyncCycleEndTimeInUTC", time(v.last_cycle_ended)},
  };
}

}  // namespace

json::object to_json(const SchedulerView& view) {
  json::object o;
  for (auto& [name, value] : members(view)) o[name] = std::move(value);
  return o;
}

std::string to_text(const SchedulerView& view) {
  const auto all = members(view);
  std::size_t width = 0;
  for (const auto& m : all) width = std::max(width, m.first.size());
  std::ostringstream out;
  for (const auto& [name, value] : all) {
    out << name << std::string(width - name.size(), ' ') << " : ";
    if (value.is_null())
      out << "";
    else if (value.is_bool())
      out << (value.get_bool() ? "True" : "False");  // as PowerShell prints a Boolean
    else
      out << std::string_view(value.get_string());
    out << "\n";
  }
  return out.str();
}

}  // namespace idsync::scheduler
