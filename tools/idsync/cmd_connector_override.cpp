// idsync connector override show | set: FullImportRequired and FullSyncRequired per connector,
// which the next sync cycle consumes (Set-ADSyncSchedulerConnectorOverride). idsync sets them
// itself too (a rejected watermark, a changed manifest); `show` says why each is set.
#include <boost/json.hpp>
#include <iostream>

#include "commands.hpp"
#include "control/settings_operations.hpp"
#include "daemon_client.hpp"

namespace idsync::cli {

namespace json = boost::json;

namespace {

struct Args {
  std::string connector, full_import, full_sync;
  bool json = false;
};

void print_overrides(const json::object& result, bool as_json) {
  const json::array& list = result.at("overrides").as_array();
  if (as_json) {
    std::cout << json::serialize(list) << "\n";
    return;
  }
  for (const auto& v : list) {
    const json::object& o = v.as_object();
    std::cout << std::string_view(o.at("Connector").as_string()) << ": FullImportRequired="
              << (o.at("FullImportRequired").as_bool() ? "True" : "False")
              << " FullSyncRequired=" << (o.at("FullSyncRequired").as_bool() ? "True" : "False")
              << "\n";
    for (const char* why : {"FullImportReason", "FullSyncReason"})
      if (const auto& r = o.at(why); r.is_string())
        std::cout << "  " << why << ": " << std::string_view(r.get_string()) << "\n";
  }
}

int show(const Context& ctx, const Args& a) {
  auto rt = ctx.load_runtime();
  const json::object result =
      via_daemon_or(*rt, json::object{{"op", "override.show"}, {"connector", a.connector}}, [&] {
        const auto store = Context::open_store_for_reading(*rt);
        return control::overrides_show(rt->manifest(), store.get(), a.connector);
      });
  print_overrides(result, a.json);
  return kExitOk;
}

int set(const Context& ctx, const Args& a) {
  json::object request{{"op", "override.set"}, {"connector", a.connector}};
  if (!a.full_import.empty())
    request["full_import_required"] = parse_bool_option("--full-import-required", a.full_import);
  if (!a.full_sync.empty())
    request["full_sync_required"] = parse_bool_option("--full-sync-required", a.full_sync);
  if (a.full_import.empty() && a.full_sync.empty())
    throw Exit{kExitUsage, "say what to set: --full-import-required and/or --full-sync-required"};
  auto rt = ctx.load_runtime();
  const json::object result = via_daemon_or(
      *rt, request, [&] { return control::override_set(rt->manifest(), rt->store(), request); });
  print_overrides(result, a.json);
  return kExitOk;
}

}  // namespace

void add_connector_command(CLI::App& app, Context& ctx) {
  auto* connector =
      app.add_subcommand("connector", "Per-connector checks and settings of the scheduler");
  connector->require_subcommand(1);

  auto test_args = std::make_shared<Args>();
  auto* test_cmd = connector->add_subcommand(
      "test", "Create the connector from the manifest and run its connection test");
  test_cmd->add_option("--connector", test_args->connector, "Connector name")->required();
  test_cmd->add_flag("--json", test_args->json, "Print JSON");
  test_cmd->callback([&ctx, test_args] {
    ctx.action = [&ctx, test_args] {
      return test_connector(ctx, test_args->connector, test_args->json);
    };
  });
  auto* override_cmd = connector->add_subcommand(
      "override", "FullImportRequired and FullSyncRequired, consumed by the next sync cycle");
  override_cmd->require_subcommand(1);

  auto show_args = std::make_shared<Args>();
  auto* show_cmd = override_cmd->add_subcommand("show", "The overrides, and why each is set");
  show_cmd->add_option("--connector", show_args->connector, "One connector (default: all)");
  show_cmd->add_flag("--json", show_args->json, "Print JSON");
  show_cmd->callback(
      [&ctx, show_args] { ctx.action = [&ctx, show_args] { return show(ctx, *show_args); }; });

  auto set_args = std::make_shared<Args>();
  auto* set_cmd = override_cmd->add_subcommand("set", "Set or clear a connector's overrides");
  set_cmd->add_option("--connector", set_args->connector, "Connector name")->required();
  set_cmd->add_option("--full-import-required", set_args->full_import,
                      "true: the next cycle runs a full import on it");
  set_cmd->add_option("--full-sync-required", set_args->full_sync,
                      "true: the next cycle runs a full sync on it");
  set_cmd->add_flag("--json", set_args->json, "Print JSON");
  set_cmd->callback(
      [&ctx, set_args] { ctx.action = [&ctx, set_args] { return set(ctx, *set_args); }; });
}

}  // namespace idsync::cli
