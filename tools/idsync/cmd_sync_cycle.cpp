// idsync sync-cycle start | stop, and idsync run-status: Start-ADSyncSyncCycle,
// Stop-ADSyncSyncCycle and Get-ADSyncConnectorRunStatus (runtime/sync_cycle.hpp says what a
// cycle runs).
//
// With a daemon running, `start` hands the cycle to it and returns (--wait follows it to its
// end), `stop` asks it to stop at the next batch boundary, and `run-status` shows what it runs.
// Without one, `start` runs the cycle in this process and waits (Ctrl-C stops it at the next
// boundary); `stop` and `run-status` then have nothing to talk to.
#include <boost/json.hpp>
#include <iostream>

#include "commands.hpp"
#include "control/report_json.hpp"
#include "daemon_client.hpp"
#include "progress_meter.hpp"
#include "run_output.hpp"
#include "runtime/sync_cycle.hpp"
#include "store/cs_object.hpp"
#include "store/run_history.hpp"

namespace idsync::cli {

namespace json = boost::json;

namespace {

struct CycleArgs {
  std::string policy;  // empty: the scheduler's NextSyncCyclePolicyType (with a daemon), Delta
  bool json = false;
  bool allow_deletes = false;
  bool wait = false;
};

int print_report(const runtime::CycleReport& report, bool as_json) {
  if (as_json) {
    json::array runs;
    for (const auto& r : report.runs)
      for (const auto& s : r.steps) {
        json::object o = step_json(s);
        o["connector"] = r.connector;
        runs.push_back(std::move(o));
      }
    std::cout << json::serialize(json::object{{"policy", manifest::to_string(report.policy)},
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

int start_through_daemon(control::Connection& daemon, const CycleArgs& a) {
  if (a.allow_deletes)
    throw Exit{kExitUsage,
               "--allow-deletes works only on a cycle run in this process; with idsyncd running, "
               "let deletes through with `idsync run-profile ... --allow-deletes` or raise the "
               "threshold (idsync deletion-threshold)"};
  json::object request{{"op", "cycle.start"}, {"wait", a.wait}};
  if (!a.policy.empty()) request["policy"] = a.policy;
  ProgressMeter meter;
  const json::object result = ask_daemon(daemon, request, [&](const json::object& p) {
    if (const json::value* c = p.if_contains("counters"))
      meter.update(
          std::string(p.at("connector").as_string()) + " " + std::string(p.at("step").as_string()),
          store::counters_from_json(c->as_object()));
  });
  meter.finish();
  if (!a.wait) {
    if (a.json)
      std::cout << json::serialize(result) << "\n";
    else {
      const std::string_view policy = result.at("policy").as_string();
      std::cout << "idsyncd started " << (policy == "Initial" ? "an " : "a ") << policy
                << " sync cycle; follow it with `idsync run-status`\n";
    }
    return kExitOk;
  }
  if (const json::value* error = result.if_contains("error"))
    throw Exit{kExitFailed, std::string(error->as_string())};
  return print_report(control::cycle_report_from_json(result.at("cycle").as_object()), a.json);
}

int start_cycle(const Context& ctx, const CycleArgs& a) {
  auto rt = ctx.load_runtime();
  if (auto daemon = connect_daemon(*rt)) return start_through_daemon(*daemon, a);

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
  return print_report(report, a.json);
}

int stop_cycle(const Context& ctx, bool as_json) {
  auto rt = ctx.load_runtime();
  auto daemon = connect_daemon(*rt);
  if (!daemon)
    throw Exit{kExitFailed,
               "no idsyncd is running for this manifest; a cycle that `idsync sync-cycle start` "
               "runs in its own process stops with Ctrl-C"};
  const json::object result = ask_daemon(*daemon, json::object{{"op", "cycle.stop"}});
  if (as_json) {
    std::cout << json::serialize(result) << "\n";
  } else if (result.at("stopping").as_bool()) {
    std::cout << "stopping at the next batch boundary: "
              << std::string_view(result.at("what").as_string()) << "\n";
  } else {
    std::cout << "nothing is running\n";
  }
  return kExitOk;
}

int run_status(const Context& ctx, bool as_json) {
  auto rt = ctx.load_runtime();
  auto daemon = connect_daemon(*rt);
  if (!daemon) return kExitOk;  // nothing runs in a daemon that does not run
  const json::object result = ask_daemon(*daemon, json::object{{"op", "run.status"}});
  const json::value& running = result.at("running");
  if (running.is_null()) return kExitOk;  // idle: prints nothing, like the cmdlet
  if (as_json) {
    std::cout << json::serialize(running) << "\n";
    return kExitOk;
  }
  const json::object& r = running.as_object();
  std::cout << std::string_view(r.at("what").as_string()) << " ("
            << std::string_view(r.at("origin").as_string()) << "), started "
            << std::string_view(r.at("started").as_string());
  if (r.at("stopping").as_bool()) std::cout << ", stopping";
  std::cout << "\n";
  if (const json::value* step = r.if_contains("step")) {
    std::cout << "  step " << r.at("index").as_int64() << " of " << r.at("total").as_int64() << ": "
              << std::string_view(r.at("connector").as_string()) << " "
              << std::string_view(step->as_string()) << ", started "
              << std::string_view(r.at("step_started").as_string()) << "\n";
    const auto c = store::counters_from_json(r.at("counters").as_object());
    importer::StepResult progress;
    progress.counters = c;
    std::cout << "  so far: " << step_summary(std::string(step->as_string()), progress) << "\n";
  }
  return kExitOk;
}

}  // namespace

void add_sync_cycle_command(CLI::App& app, Context& ctx) {
  auto* cycle = app.add_subcommand("sync-cycle", "Run or stop a whole sync cycle");
  cycle->require_subcommand(1);
  auto* start = cycle->add_subcommand(
      "start",
      "Run imports, then syncs, then exports on every connector, in the manifest's order: "
      "through idsyncd when it runs, else in this process (waiting for the end)");
  auto args = std::make_shared<CycleArgs>();
  start
      ->add_option("--policy-type", args->policy,
                   "Delta: delta imports and delta syncs; Initial: full imports and full syncs "
                   "(default: the scheduler's NextSyncCyclePolicyType with idsyncd, else Delta)")
      ->check(CLI::IsMember({"Delta", "Initial"}, CLI::ignore_case))
      ->transform([](std::string s) {
        return store::iequals(s, "Initial") ? std::string("Initial") : std::string("Delta");
      });
  start->add_flag("--wait", args->wait,
                  "With idsyncd: follow the cycle and print its steps when it ends");
  start->add_flag("--json", args->json, "Print the result as JSON");
  start->add_flag("--allow-deletes", args->allow_deletes,
                  "Let this cycle's deletes through the deletion safeguards, once");
  start->callback([&ctx, args] { ctx.action = [&ctx, args] { return start_cycle(ctx, *args); }; });

  auto stop_json = std::make_shared<bool>(false);
  auto* stop = cycle->add_subcommand(
      "stop", "Ask idsyncd to stop the running cycle at its next batch boundary");
  stop->add_flag("--json", *stop_json, "Print JSON");
  stop->callback([&ctx, stop_json] {
    ctx.action = [&ctx, stop_json] { return stop_cycle(ctx, *stop_json); };
  });

  auto status_json = std::make_shared<bool>(false);
  auto* status = app.add_subcommand(
      "run-status", "What idsyncd runs now, with its progress; nothing when it is idle");
  status->add_flag("--json", *status_json, "Print JSON");
  status->callback([&ctx, status_json] {
    ctx.action = [&ctx, status_json] { return run_status(ctx, *status_json); };
  });
}

}  // namespace idsync::cli
