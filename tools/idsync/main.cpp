// idsync: the command line of the idsync identity synchronization engine.
#include <idsync/plugin_abi.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "cli_context.hpp"
#include "commands.hpp"
#include "version.hpp"

int main(int argc, char** argv) {
  using namespace idsync::cli;
  // Standard output carries results (often JSON); every log line goes to standard error.
  spdlog::set_default_logger(spdlog::stderr_color_mt("idsync"));
  spdlog::set_pattern("%^%l%$: %v");
  spdlog::set_level(spdlog::level::warn);

  CLI::App app{"idsync: identity synchronization engine"};
  app.set_version_flag("--version", std::string("idsync ") + IDSYNC_VERSION + " (plugin ABI " +
                                        std::to_string(IDSYNC_ABI_MAJOR) + "." +
                                        std::to_string(IDSYNC_ABI_MINOR) + ")");
  Context ctx;
  app.add_option("--manifest", ctx.manifest_option,
                 "Host manifest (default: $IDSYNC_MANIFEST, then /etc/idsync/idsync.json)");
  app.require_subcommand(1);
  add_plugins_command(app, ctx);
  add_manifest_command(app, ctx);
  add_run_profile_command(app, ctx);
  add_cs_command(app, ctx);
  add_history_command(app, ctx);
  add_pending_exports_command(app, ctx);
  add_mv_command(app, ctx);
  add_deletion_threshold_command(app, ctx);
  add_staging_mode_command(app, ctx);
  add_sync_cycle_command(app, ctx);
  add_object_command(app, ctx);
  add_scheduler_command(app, ctx);
  add_connector_command(app, ctx);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }
  try {
    return ctx.action ? ctx.action() : kExitUsage;
  } catch (const Exit& e) {
    if (!e.message.empty()) std::cerr << e.message << "\n";
    return e.code;
  } catch (const std::exception& e) {
    std::cerr << "idsync: " << e.what() << "\n";
    return kExitFailed;
  }
}
