// idsync run-profile: runs one connector's run profile synchronously, like
// Invoke-ADSyncRunProfile; through idsyncd when it runs (it holds the store), else in this
// process. Ctrl-C (or SIGTERM) stops at the next page end; the committed pages
// stay staged and the next run resumes after them.
#include <boost/json.hpp>
#include <iostream>

#include "commands.hpp"
#include "control/report_json.hpp"
#include "daemon_client.hpp"
#include "json_out.hpp"
#include "progress_meter.hpp"
#include "run_output.hpp"
#include "store/run_history.hpp"

namespace idsync::cli {

namespace json = boost::json;

namespace {

int print_report(const runtime::ProfileReport& report, bool as_json);

int run_profile(const Context& ctx, const std::string& connector, const std::string& profile,
                bool as_json, bool allow_deletes) {
  auto rt = ctx.load_runtime();
  const auto* decl = rt->manifest().find_connector(connector);
  if (!decl) {
    std::string names;
    for (const auto& c : rt->manifest().connectors) names += (names.empty() ? "" : ", ") + c.name;
    throw Exit{kExitUsage, "no connector named \"" + connector + "\" in " +
                               rt->manifest().file.string() +
                               " (connectors: " + (names.empty() ? "none" : names) + ")"};
  }
  const auto* prof = decl->find_run_profile(profile);
  if (!prof) {
    std::string names;
    for (const auto& p : decl->run_profiles)
      names += (names.empty() ? "\"" : ", \"") + p.name + "\"";
    throw Exit{kExitUsage, "connector " + decl->name + " has no run profile \"" + profile +
                               "\" (profiles: " + (names.empty() ? "none" : names) + ")"};
  }

  ProgressMeter meter;
  runtime::ProfileReport report;
  if (auto daemon = connect_daemon(*rt)) {
    // idsyncd holds the store: it runs the profile, one job at a time, and reports back.
    const json::object result =
        ask_daemon(*daemon,
                   json::object{{"op", "run_profile"},
                                {"connector", decl->name},
                                {"profile", prof->name},
                                {"allow_deletes", allow_deletes}},
                   [&](const json::object& p) {
                     if (const json::value* c = p.if_contains("counters"))
                       meter.update(std::string(p.at("step").as_string()),
                                    store::counters_from_json(c->as_object()));
                   });
    meter.finish();
    if (const json::value* error = result.if_contains("error"))
      throw Exit{kExitFailed, std::string(error->as_string())};
    report = control::profile_report_from_json(result.at("profile").as_object());
    return print_report(report, as_json);
  }
  runtime::RunOptions options;
  options.cancel = install_stop_signals();
  options.allow_deletes_once = allow_deletes;
  options.on_progress = [&](const std::string& step, const store::ImportCounters& c) {
    meter.update(step, c);
  };
  try {
    report = rt->run_profile(*decl, *prof, options);
  } catch (const store::StoreError& e) {
    meter.finish();
    throw Exit{kExitFailed, e.what()};
  }
  meter.finish();
  return print_report(report, as_json);
}

int print_report(const runtime::ProfileReport& report, bool as_json) {
  if (as_json) {
    json::array steps;
    for (const auto& s : report.steps) steps.push_back(step_json(s));
    std::cout << json::serialize(json::object{{"connector", report.connector},
                                              {"profile", report.profile},
                                              {"ok", report.ok()},
                                              {"steps", std::move(steps)}})
              << "\n";
  } else {
    for (const auto& s : report.steps) print_step(std::cout, report, s);
  }
  return report.ok() ? kExitOk : kExitFailed;
}

}  // namespace

void add_run_profile_command(CLI::App& app, Context& ctx) {
  auto* cmd =
      app.add_subcommand("run-profile", "Run a connector's run profile and wait for it to finish");
  struct Args {
    std::string connector, profile;
    bool json = false;
    bool allow_deletes = false;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("--connector", args->connector, "Connector name, as in the manifest")->required();
  cmd->add_option("--profile", args->profile, "Run profile name, e.g. \"Full Import\"")->required();
  cmd->add_flag("--json", args->json, "Print the result as JSON");
  cmd->add_flag("--allow-deletes", args->allow_deletes,
                "Export steps: send the pending deletes even above the deletion threshold, once");
  cmd->callback([&ctx, args] {
    ctx.action = [&ctx, args] {
      return run_profile(ctx, args->connector, args->profile, args->json, args->allow_deletes);
    };
  });
}

}  // namespace idsync::cli
