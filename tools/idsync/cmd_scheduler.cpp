// idsync scheduler show | set | reset: the scheduler's settings, as Get-ADSyncScheduler and
// Set-ADSyncScheduler show and change them (control/settings_operations.hpp). Through the
// daemon when one runs (a change takes effect at once), else on the store directly.
#include <boost/json.hpp>
#include <iostream>

#include "commands.hpp"
#include "control/settings_operations.hpp"
#include "daemon_client.hpp"
#include "store/cs_object.hpp"

namespace idsync::cli {

namespace json = boost::json;

namespace {

using Clock = std::chrono::system_clock;

void print_scheduler(const json::object& result, bool as_json) {
  const json::object& s = result.at("scheduler").as_object();
  if (as_json) {
    std::cout << json::serialize(s) << "\n";
    return;
  }
  std::size_t width = 0;
  for (const auto& [name, value] : s) width = std::max(width, name.size());
  for (const auto& [name, value] : s) {
    std::cout << std::string(name) << std::string(width - name.size(), ' ') << " : ";
    if (value.is_bool())
      std::cout << (value.get_bool() ? "True" : "False");  // as PowerShell prints a Boolean
    else if (value.is_string())
      std::cout << std::string_view(value.get_string());
    std::cout << "\n";
  }
}

struct SetArgs {
  std::string customized, policy, purge, sync_enabled, maintenance_enabled, active_hours;
  std::string staging, suspended;  // refused with what to use instead
  bool json = false;
};

// A value, or "none"/"null" to clear a setting that may be unset.
json::value clearable(const std::string& text) {
  if (store::iequals(text, "none") || store::iequals(text, "null")) return nullptr;
  return json::value(text);
}

int set(const Context& ctx, const SetArgs& a) {
  if (!a.staging.empty())
    throw Exit{kExitUsage,
               "StagingModeEnabled cannot be set with `idsync scheduler set`: use `idsync staging "
               "enable` or `idsync staging disable`"};
  if (!a.suspended.empty())
    throw Exit{kExitUsage,
               "SchedulerSuspended is not a setting: a package upgrade suspends the scheduler; "
               "`idsync scheduler suspend` and `idsync scheduler resume` hold and release it by "
               "hand; to stop scheduled cycles for good, use --sync-cycle-enabled false"};
  json::object changes;
  if (!a.customized.empty()) changes["CustomizedSyncCycleInterval"] = clearable(a.customized);
  if (!a.policy.empty()) changes["NextSyncCyclePolicyType"] = a.policy;
  if (!a.purge.empty()) changes["PurgeRunHistoryInterval"] = a.purge;
  if (!a.sync_enabled.empty())
    changes["SyncCycleEnabled"] = parse_bool_option("--sync-cycle-enabled", a.sync_enabled);
  if (!a.maintenance_enabled.empty())
    changes["MaintenanceEnabled"] =
        parse_bool_option("--maintenance-enabled", a.maintenance_enabled);
  if (!a.active_hours.empty()) changes["ActiveHours"] = clearable(a.active_hours);
  if (changes.empty()) throw Exit{kExitUsage, "nothing to set: give at least one setting"};

  auto rt = ctx.load_runtime();
  const json::object result = via_daemon_or(
      *rt, json::object{{"op", "scheduler.set"}, {"changes", changes}},
      [&] { return control::scheduler_set(rt->manifest(), rt->store(), changes, Clock::now()); });
  print_scheduler(result, a.json);
  return kExitOk;
}

int show(const Context& ctx, bool as_json) {
  auto rt = ctx.load_runtime();
  const json::object result = via_daemon_or(*rt, json::object{{"op", "scheduler.show"}}, [&] {
    const auto store = Context::open_store_for_reading(*rt);
    return control::scheduler_show(rt->manifest(), store.get(), Clock::now());
  });
  print_scheduler(result, as_json);
  return kExitOk;
}

int reset(const Context& ctx, bool as_json) {
  auto rt = ctx.load_runtime();
  const json::object result = via_daemon_or(*rt, json::object{{"op", "scheduler.reset"}}, [&] {
    return control::scheduler_reset(rt->manifest(), rt->store(), Clock::now());
  });
  print_scheduler(result, as_json);
  return kExitOk;
}

int suspend(const Context& ctx, bool suspended, const std::string& reason, bool as_json) {
  auto rt = ctx.load_runtime();
  const json::object result = via_daemon_or(
      *rt, json::object{{"op", "scheduler.suspend"}, {"suspended", suspended}, {"reason", reason}},
      [&] {
        return control::scheduler_suspend(rt->manifest(), rt->store(), suspended, reason,
                                          Clock::now());
      });
  print_scheduler(result, as_json);
  return kExitOk;
}

}  // namespace

void add_scheduler_command(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("scheduler", "Show or change the scheduler's settings");
  cmd->require_subcommand(1);

  auto show_json = std::make_shared<bool>(false);
  auto* show_cmd =
      cmd->add_subcommand("show", "The scheduler's settings, as Get-ADSyncScheduler shows them");
  show_cmd->add_flag("--json", *show_json, "Print JSON");
  show_cmd->callback(
      [&ctx, show_json] { ctx.action = [&ctx, show_json] { return show(ctx, *show_json); }; });

  auto a = std::make_shared<SetArgs>();
  auto* set_cmd = cmd->add_subcommand(
      "set", "Change scheduler settings; each takes effect at once (the next start is recomputed)");
  set_cmd->add_option("--customized-sync-cycle-interval", a->customized,
                      "Interval between cycles, d.HH:mm:ss; below AllowedSyncCycleInterval the "
                      "allowed one is used; none clears it");
  set_cmd
      ->add_option("--next-sync-cycle-policy-type", a->policy,
                   "Delta or Initial: what the next scheduled cycle runs")
      ->check(CLI::IsMember({"Delta", "Initial"}));
  set_cmd->add_option("--purge-run-history-interval", a->purge,
                      "How long the run history is kept, d.HH:mm:ss");
  set_cmd->add_option("--sync-cycle-enabled", a->sync_enabled,
                      "true or false: whether the scheduler starts cycles by itself");
  set_cmd->add_option("--maintenance-enabled", a->maintenance_enabled,
                      "true or false: daily purge of the run history and store compaction");
  set_cmd->add_option("--active-hours", a->active_hours,
                      "HH:mm-HH:mm: scheduled cycles start only then (local time); none clears it");
  set_cmd->add_option("--staging-mode-enabled", a->staging, "Refused: use idsync staging")
      ->group("");
  set_cmd->add_option("--scheduler-suspended", a->suspended, "Refused")->group("");
  set_cmd->add_flag("--json", a->json, "Print the settings after the change as JSON");
  set_cmd->callback([&ctx, a] { ctx.action = [&ctx, a] { return set(ctx, *a); }; });

  struct SuspendArgs {
    std::string reason;
    bool json = false;
  };
  auto suspend_args = std::make_shared<SuspendArgs>();
  auto* suspend_cmd = cmd->add_subcommand(
      "suspend", "Hold the scheduler: no cycle starts by itself (SchedulerSuspended)");
  suspend_cmd->add_option("--reason", suspend_args->reason,
                          "Why, as `show` reports it (\"upgrade\": the next daemon start "
                          "resumes it)");
  suspend_cmd->add_flag("--json", suspend_args->json, "Print JSON");
  suspend_cmd->callback([&ctx, suspend_args] {
    ctx.action = [&ctx, suspend_args] {
      return suspend(ctx, true, suspend_args->reason, suspend_args->json);
    };
  });
  auto resume_json = std::make_shared<bool>(false);
  auto* resume_cmd = cmd->add_subcommand("resume", "Release a suspended scheduler");
  resume_cmd->add_flag("--json", *resume_json, "Print JSON");
  resume_cmd->callback([&ctx, resume_json] {
    ctx.action = [&ctx, resume_json] { return suspend(ctx, false, "", *resume_json); };
  });

  auto reset_json = std::make_shared<bool>(false);
  auto* reset_cmd = cmd->add_subcommand(
      "reset", "Forget the settings made with `set`: the manifest's values apply again");
  reset_cmd->add_flag("--json", *reset_json, "Print JSON");
  reset_cmd->callback(
      [&ctx, reset_json] { ctx.action = [&ctx, reset_json] { return reset(ctx, *reset_json); }; });
}

}  // namespace idsync::cli
