// Each subcommand registers itself on the app and, when chosen, sets Context::action.
#pragma once

#include <CLI/CLI.hpp>

#include "cli_context.hpp"

namespace idsync::cli {

void add_plugins_command(CLI::App& app, Context& ctx);
void add_plugin_check_command(CLI::App& plugin, Context& ctx);
void add_manifest_command(CLI::App& app, Context& ctx);
void add_run_profile_command(CLI::App& app, Context& ctx);
void add_cs_command(CLI::App& app, Context& ctx);
void add_history_command(CLI::App& app, Context& ctx);
void add_pending_exports_command(CLI::App& app, Context& ctx);
void add_mv_command(CLI::App& app, Context& ctx);
void add_deletion_threshold_command(CLI::App& app, Context& ctx);
void add_staging_mode_command(CLI::App& app, Context& ctx);
void add_sync_cycle_command(CLI::App& app, Context& ctx);
void add_object_command(CLI::App& app, Context& ctx);
void add_scheduler_command(CLI::App& app, Context& ctx);
void add_connector_command(CLI::App& app, Context& ctx);
// `idsync connector test` (cmd_connector_test.cpp): runs a connector's test hook.
int test_connector(const Context& ctx, const std::string& connector, bool as_json);

}  // namespace idsync::cli
