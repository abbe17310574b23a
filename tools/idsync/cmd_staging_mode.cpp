// idsync staging (also idsync staging-mode): the store-wide staging mode flag
// (store/admin_settings.hpp). In staging mode imports and syncs run, exports send nothing and the
// pending exports stay for inspection (idsync pending-exports). It is on when the store's flag or
// the manifest's scheduler.staging_mode_enabled says so; these commands change only the store's
// flag and say when the manifest keeps staging mode on regardless.
#include <boost/json.hpp>
#include <iostream>

#include "commands.hpp"
#include "control/settings_operations.hpp"
#include "daemon_client.hpp"
#include "store/admin_settings.hpp"

namespace idsync::cli {

namespace json = boost::json;

namespace {

struct State {
  bool store_flag = false;
  bool manifest_flag = false;
  bool on() const { return store_flag || manifest_flag; }
  // Why staging mode is on: "store", "manifest" or "both"; empty when it is off.
  std::string reason() const {
    if (store_flag && manifest_flag) return "both";
    if (store_flag) return "store";
    if (manifest_flag) return "manifest";
    return "";
  }
};

void print_state(const State& s, const runtime::Runtime& rt) {
  if (!s.on()) {
    std::cout << "staging mode: off (exports send the pending exports)\n";
    return;
  }
  std::string why;
  if (s.store_flag) why = "the store's flag, set by `idsync staging enable`";
  if (s.manifest_flag)
    why += std::string(why.empty() ? "" : ", and ") + "scheduler.staging_mode_enabled in " +
           rt.manifest().file.string();
  std::cout << "staging mode: on (" << why
            << "); exports send nothing, pending exports stay (idsync pending-exports --connector "
               "NAME)\n";
}

int show(const Context& ctx, bool as_json) {
  auto rt = ctx.load_runtime();
  std::unique_ptr<store::Store> st = Context::open_store_for_reading(*rt);
  const State s{st && store::read_staging_mode(*st), rt->manifest().scheduler.staging_mode_enabled};
  if (as_json) {
    const std::string reason = s.reason();
    std::cout << json::serialize(
                     json::object{{"enabled", s.on()},
                                  {"reason", reason.empty() ? json::value() : json::value(reason)},
                                  {"store", s.store_flag},
                                  {"manifest", s.manifest_flag}})
              << "\n";
  } else {
    print_state(s, *rt);
  }
  return kExitOk;
}

int set(const Context& ctx, bool enable) {
  auto rt = ctx.load_runtime();
  via_daemon_or(*rt, json::object{{"op", "staging.set"}, {"enabled", enable}},
                [&] { return control::staging_set(rt->manifest(), rt->store(), enable); });
  const State s{enable, rt->manifest().scheduler.staging_mode_enabled};
  print_state(s, *rt);
  if (!enable && s.on())
    throw Exit{kExitFailed,
               "the store's flag is off, but staging mode stays on: the manifest's "
               "scheduler.staging_mode_enabled keeps it on; set it to false in " +
                   rt->manifest().file.string() + " to leave staging mode"};
  return kExitOk;
}

}  // namespace

void add_staging_mode_command(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand(
      "staging", "Show or change staging mode: exports send nothing, pending exports stay");
  cmd->alias("staging-mode");
  cmd->require_subcommand(1);

  auto as_json = std::make_shared<bool>(false);
  auto* show_cmd = cmd->add_subcommand("show", "Whether staging mode is on, and why");
  show_cmd->add_flag("--json", *as_json, "Print JSON");
  show_cmd->callback(
      [&ctx, as_json] { ctx.action = [&ctx, as_json] { return show(ctx, *as_json); }; });

  cmd->add_subcommand("enable", "Turn the store's staging mode flag on")->callback([&ctx] {
    ctx.action = [&ctx] { return set(ctx, true); };
  });
  cmd->add_subcommand("disable", "Turn the store's staging mode flag off")->callback([&ctx] {
    ctx.action = [&ctx] { return set(ctx, false); };
  });
}

}  // namespace idsync::cli
