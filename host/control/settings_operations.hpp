// The admin's run-time settings as operations on JSON: the scheduler (Get-/Set-ADSyncScheduler),
// connector overrides (Get-/Set-ADSyncSchedulerConnectorOverride) and the store's staging mode
// flag. The CLI runs them in its own process when no daemon runs, and the daemon runs the same
// functions for the CLI when one does, so both behave alike.
//
// All are safe beside a running cycle (Store::get_setting). A store of null means none exists
// yet: the show operations then report the manifest's values.
//
// Refused requests throw Refusal with the exit status the CLI ends with (2: the request is
// wrong; 1: it cannot be done now) and a message that says what to do instead.
#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <stdexcept>
#include <string>

#include "manifest/manifest.hpp"
#include "store/store.hpp"

namespace idsync::control {

using TimePoint = std::chrono::system_clock::time_point;

struct Refusal : std::runtime_error {
  Refusal(int exit_code, const std::string& message)
      : std::runtime_error(message), exit_code(exit_code) {}
  int exit_code;
};

// {"scheduler": {AllowedSyncCycleInterval: ..., ...}} (scheduler/scheduler_view.hpp).
boost::json::object scheduler_show(const manifest::Manifest& m, const store::Store* store,
                                   TimePoint now);

// `changes` names settings as Get-ADSyncScheduler does: CustomizedSyncCycleInterval
// ("d.HH:mm:ss", or null to clear it), NextSyncCyclePolicyType ("Delta"|"Initial"),
// PurgeRunHistoryInterval, SyncCycleEnabled, MaintenanceEnabled (booleans) and ActiveHours
// ("HH:mm-HH:mm", or null). StagingModeEnabled and SchedulerSuspended are refused with the
// command that changes them. Nothing is written unless every change is valid. Returns the
// scheduler as scheduler_show does, with the next start recomputed.
boost::json::object scheduler_set(const manifest::Manifest& m, store::Store& store,
                                  const boost::json::object& changes, TimePoint now);

// Forgets every run-time setting (the manifest's values apply again); keeps the scheduler's
// own state (last cycle, suspension). Also the repair of a damaged scheduler record.
boost::json::object scheduler_reset(const manifest::Manifest& m, store::Store& store,
                                    TimePoint now);

// Suspends the scheduler (no cycle starts by itself; requested ones still run) or resumes it.
// `reason` is recorded: scheduler::kSuspendedForUpgrade is what the package's upgrade sets, and
// the daemon that starts after the upgrade clears it.
boost::json::object scheduler_suspend(const manifest::Manifest& m, store::Store& store,
                                      bool suspended, const std::string& reason, TimePoint now);

// {"overrides": [{"Connector", "FullImportRequired", "FullSyncRequired", "FullImportReason",
// "FullSyncReason"}]} for one connector, or for every connector of the manifest when
// `connector` is empty.
boost::json::object overrides_show(const manifest::Manifest& m, const store::Store* store,
                                   const std::string& connector);

// `args`: {"connector": name, "full_import_required": bool?, "full_sync_required": bool?};
// at least one flag. A flag set by an admin records "set by an admin" as its reason.
boost::json::object override_set(const manifest::Manifest& m, store::Store& store,
                                 const boost::json::object& args);

// {"enabled": bool, "store": bool, "manifest": bool} after setting the store's flag.
boost::json::object staging_set(const manifest::Manifest& m, store::Store& store, bool enabled);

// Enables or disables a connector's export deletion threshold (store/admin_settings.hpp);
// `args`: {"connector": name, "enabled": bool, "threshold": N (deletes) or "P%" (optional;
// absent keeps the stored value)}. A damaged stored threshold is replaced, the defaults as the
// base (that is its repair). Returns {"connector": name}.
boost::json::object deletion_threshold_set(const manifest::Manifest& m, store::Store& store,
                                           const boost::json::object& args);

// The manifest's connector by name (ignoring case), else Refusal 2 listing the connectors.
const manifest::ConnectorDecl& connector_named(const manifest::Manifest& m,
                                               const std::string& name);

}  // namespace idsync::control
