// idsync history: the run history (the Operations tab of the Synchronization Service Manager).
#include <boost/json.hpp>
#include <ctime>
#include <iostream>

#include "commands.hpp"
#include "json_out.hpp"
#include "store/run_history.hpp"

namespace idsync::cli {

namespace {

struct RunsArgs {
  std::string connector;
  size_t limit = 20;
  bool json = false;
};

std::string utc(int64_t ms) {
  const std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

int runs(const Context& ctx, const RunsArgs& a) {
  auto rt = ctx.load_runtime();
  boost::json::array list;
  if (auto st = Context::open_store_for_reading(*rt)) {
    size_t shown = 0;
    store::RunHistory(*st).for_each_newest_first([&](const store::RunRecord& r) {
      if (!a.connector.empty() && !store::iequals(r.connector, a.connector)) return true;
      if (a.json) {
        list.push_back(run_record_json(r));
      } else {
        std::cout << r.id << "\t" << utc(r.started_unix_ms) << "\t" << r.connector << "\t"
                  << r.profile << "\t" << r.step << "\t" << r.status << "\t";
        const auto& c = r.counters;
        if (r.step == "full_sync" || r.step == "delta_sync")
          std::cout << "projections " << c.projections << " joins " << c.joins << " disconnectors "
                    << c.disconnectors << " errors " << c.errors << "\n";
        else
          std::cout << "+" << c.adds << " ~" << c.updates << " -" << c.deletes << "\n";
        if (!r.reason.empty()) std::cout << "\twhy: " << r.reason << "\n";
        if (!r.message.empty()) std::cout << "\t" << r.message << "\n";
      }
      return ++shown < a.limit;
    });
  }
  if (a.json) std::cout << boost::json::serialize(list) << "\n";
  return kExitOk;
}

}  // namespace

void add_history_command(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<RunsArgs>();
  auto* cmd = app.add_subcommand("history", "Show the run history, newest first");
  cmd->alias("runs");
  cmd->add_option("--connector", args->connector, "Only this connector");
  cmd->add_option("--last", args->limit, "The last N runs (default 20)");
  cmd->add_flag("--json", args->json, "Print JSON");
  cmd->callback([&ctx, args] { ctx.action = [&ctx, args] { return runs(ctx, *args); }; });
}

}  // namespace idsync::cli
