// idsync plugin check: runs the connector contract kit against a vendor's plugin folder.
#include <vector>

#include "commands.hpp"
#include "contract/kit.hpp"

namespace idsync::cli {

void add_plugin_check_command(CLI::App& plugin, Context& ctx) {
  struct Args {
    std::string folder;
    std::string connector_config;
    std::vector<std::string> catch_args;
  };
  auto args = std::make_shared<Args>();
  auto* cmd =
      plugin.add_subcommand("check", "Run the connector contract kit against a plugin folder");
  cmd->add_option("PLUGIN_DIR", args->folder, "Folder holding plugin.json and the library")
      ->required()
      ->check(CLI::ExistingDirectory);
  cmd->add_option("--connector-config", args->connector_config,
                  "JSON connector declaration (type, config, ...) so the kit can create an "
                  "instance and import");
  cmd->add_option("--catch", args->catch_args,
                  "Extra arguments for the test runner, e.g. --catch=--list-tests");
  cmd->callback([&ctx, args] {
    ctx.action = [args] {
      std::vector<std::string> storage{"idsync plugin check"};
      for (const auto& a : args->catch_args) storage.push_back(a);
      std::vector<char*> argv;
      for (auto& s : storage) argv.push_back(s.data());
      std::optional<std::filesystem::path> config;
      if (!args->connector_config.empty()) config = args->connector_config;
      const int failed =
          contract::run_kit(args->folder, config, static_cast<int>(argv.size()), argv.data());
      return failed == 0 ? kExitOk : kExitFailed;
    };
  });
}

}  // namespace idsync::cli
