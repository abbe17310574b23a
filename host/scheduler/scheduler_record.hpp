// What the scheduler keeps in the store: the settings an admin changed at run time
// (`idsync scheduler set`, like Set-ADSyncScheduler) and the scheduler's own state (when the
// last cycle ran, the next cycle's policy, suspension). The manifest gives the starting values;
// a setting stored here wins over the manifest's (scheduler_view.hpp combines the two).
//
// Contract:
//   - One record, in the `meta` family under "scheduler"; nothing else writes it.
//   - A store that never had it reads as a record with nothing set.
//   - A record that does not decode throws store::CorruptRecord naming how to repair it: the
//     scheduler never guesses its settings.
//   - write_scheduler_record() is one WriteBatch of its own, durable when it returns. Reads and
//     writes are safe from any thread (Store::get_setting), beside a running cycle.
//
// Encoding: a JSON object {"format": 1, ...}; a member is present only when set. JSON because
// the record is small, read rarely and gains members as the scheduler does.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "manifest/active_hours.hpp"
#include "manifest/manifest.hpp"
#include "store/store.hpp"

namespace idsync::scheduler {

using TimePoint = std::chrono::system_clock::time_point;

// A setting an admin may set at run time. Unset: the manifest's value applies. Set, `value`
// applies, even when it is "none" (an optional type cleared on purpose).
template <typename T>
struct RuntimeSetting {
  bool set = false;
  T value{};
  bool operator==(const RuntimeSetting&) const = default;
  const T& or_else(const T& from_manifest) const { return set ? value : from_manifest; }
};

struct SchedulerRecord {
  RuntimeSetting<bool> sync_cycle_enabled;
  RuntimeSetting<bool> maintenance_enabled;
  RuntimeSetting<std::optional<std::chrono::seconds>> customized_sync_cycle_interval;
  RuntimeSetting<std::chrono::seconds> purge_run_history_interval;
  RuntimeSetting<std::optional<manifest::ActiveHours>> active_hours;
  // Set by an admin, and back to Delta by the scheduler after an Initial cycle ran.
  RuntimeSetting<manifest::SyncCyclePolicy> next_sync_cycle_policy_type;

  // The scheduler's state.
  std::optional<TimePoint> last_cycle_started;
  std::optional<TimePoint> last_cycle_ended;
  std::optional<TimePoint> last_maintenance;
  // Set while an upgrade or an admin holds the scheduler (Entra Connect's SchedulerSuspended):
  // no cycle starts by itself, requested cycles still run. `suspended_reason` says who:
  // kSuspendedForUpgrade is cleared by the next daemon that opens the store.
  bool scheduler_suspended = false;
  std::string suspended_reason;

  bool operator==(const SchedulerRecord&) const = default;
};

inline constexpr char kSchedulerRecordKey[] = "scheduler";
inline constexpr char kSuspendedForUpgrade[] = "upgrade";

std::string encode_scheduler_record(const SchedulerRecord& record);
// Throws store::CorruptRecord for anything but a record this version wrote.
SchedulerRecord decode_scheduler_record(std::string_view text);

SchedulerRecord read_scheduler_record(const store::Store& store);
void write_scheduler_record(store::Store& store, const SchedulerRecord& record);

}  // namespace idsync::scheduler
