// The scheduler as an admin sees it (Get-ADSyncScheduler): the manifest's values with the
// store's run-time settings over them, plus what follows from them. Shown by
// `idsync scheduler show` and the daemon, and what the daemon's loop acts on.
#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <optional>
#include <string>

#include "manifest/manifest.hpp"
#include "scheduler/scheduler_record.hpp"

namespace idsync::scheduler {

struct SchedulerView {
  std::chrono::seconds allowed_sync_cycle_interval{};
  std::chrono::seconds currently_effective_sync_cycle_interval{};
  std::optional<std::chrono::seconds> customized_sync_cycle_interval;
  manifest::SyncCyclePolicy next_sync_cycle_policy_type = manifest::SyncCyclePolicy::kDelta;
  TimePoint next_sync_cycle_start_time{};
  std::chrono::seconds purge_run_history_interval{};
  bool sync_cycle_enabled = true;
  bool maintenance_enabled = true;
  bool staging_mode_enabled = false;
  bool scheduler_suspended = false;
  std::optional<manifest::ActiveHours> active_hours;
  std::optional<TimePoint> last_cycle_started;
  std::optional<TimePoint> last_cycle_ended;

  // Whether the scheduler starts a cycle by itself at `now`.
  bool cycle_due(TimePoint now) const;
};

// `store_staging_mode` is the store's staging flag (store/admin_settings.hpp); staging mode is on
// when it or the manifest says so.
SchedulerView view_scheduler(const manifest::SchedulerSettings& manifest,
                             const SchedulerRecord& record, bool store_staging_mode, TimePoint now);

// UTC as ISO 8601 to the second, "2026-11-21T14:30:00Z".
std::string format_utc(TimePoint t);

// Members named as Get-ADSyncScheduler prints them; intervals in "d.HH:mm:ss" form, times in
// UTC, an unset value as null.
boost::json::object to_json(const SchedulerView& view);
// The same, one "Name : Value" line each, as PowerShell lists an object.
std::string to_text(const SchedulerView& view);

}  // namespace idsync::scheduler
