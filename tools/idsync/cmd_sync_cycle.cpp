// idsync sync-cycle start: runs a whole sync cycle in this process, like Entra Connect's
// Start-ADSyncSyncCycle -PolicyType Delta|Initial (runtime/sync_cycle.hpp says what runs).
#include <boost/json.hpp>
#include <iostream>

#include "commands.hpp"
#include "progress_meter.hpp"
#include "run_output.hpp"
#include "runtime/sync_cycle.hpp"

namespace idsync::cli {

namespace json = boost::json;

namespace {

struct CycleArgs {
  std::string policy = "Delta";
  bool json = false;
  bool allow_deletes = false;
};

int start_cycle(const Context& ctx, const CycleArgs& a) {
  auto rt = ctx.load_runtime();
  const manifest::SyncCyclePolicy policy = store::iequals(a.policy, "Initial")
                                               ? manifest::SyncCyclePolicy::kInitial
                                               : manifest::SyncCyclePolicy::kDelta;
  ProgressMeter meter;
  runtime::RunOptions options;
  options.cancel = install_stop_signals();
  options.allow_deletes_once = a.allow_deletes;
  options.on_progress = [&](const std::string& step, const store::ImportCounters& c) {
    meter.update(step, c);
  };
  runtime::CycleReport report;
  try {
    report = runtime::run_sync_cycle(*rt, policy, options);
  } catch (const store::StoreError& e) {
    meter.finish();
    throw Exit{kExitFailed, e.what()};
  }
  meter.finish();

  if (a.json) {
    json::array runs;
    for (const auto& r : report.runs)
      for (const auto& s : r.steps) {
        json::object o = step_json(s);
        o["connector"] = r.connector;
        runs.push_back(std::move(o));
      }
    std::cout << json::serialize(json::object{{"policy", manifest::to_string(policy)},
                                              {"ok", report.ok()},
                                              {"cancelled", report.cancelled},
                                              {"steps", std::move(runs)}})
              << "\n";
  } else {
    for (const auto& r : report.runs)
      for (const auto& s : r.steps) print_step(std::cout, r, s);
    if (report.cancelled) std::cout << "The cycle was stopped before all its steps ran.\n";
  }
  return report.ok() ? kExitOk : kExitFailed;
}

}  // namespace

void add_sync_cycle_command(CLI::App& app, Context& ctx) {
  auto* cycle = app.add_subcommand("sync-cycle", "Run a whole sync cycle over every connector");
  cycle->require_subcommand(1);
  auto* start = cycle->add_subcommand(
      "start",
      "Run imports, then syncs, then exports on every connector, in the manifest's connector "
      "order, and wait for them to finish");
  auto args = std::make_shared<CycleArgs>();
  start
      ->add_option("--policy-type", args->policy,
                   "Delta: delta imports and delta syncs; Initial: full imports and full syncs")
      ->check(CLI::IsMember({"Delta", "Initial"}, CLI::ignore_case));
  start->add_flag("--json", args->json, "Print the result as JSON");
  start->add_flag("--allow-deletes", args->allow_deletes,
                  "Let this cycle's deletes through the deletion safeguards, once");
  start->callback([&ctx, args] { ctx.action = [&ctx, args] { return start_cycle(ctx, *args); }; });
}

}  // namespace idsync::cli
