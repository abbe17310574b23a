// The kit's Catch2 runner. It lives in the OBJECT library with the test cases so that every
// executable linking the kit (contract_kit, the idsync CLI) gets exactly one Catch2
// implementation and one way in: run_kit.
#define CATCH_CONFIG_RUNNER
#include "contract/kit.hpp"

#include <catch2/catch.hpp>
#include <iostream>

#include "contract/kit_context.hpp"
#include "plugin_host/host_log.hpp"

namespace idsync::contract {

int run_kit(const std::filesystem::path& plugin_dir,
            const std::optional<std::filesystem::path>& connector_config, int argc, char** argv) {
  // Catch2 v2 refuses a second Session in one process (its registries are global).
  static bool ran = false;
  if (ran) {
    std::cerr << "contract kit: run_kit can only be called once per process\n";
    return 255;
  }
  ran = true;

  set_options(KitOptions{plugin_dir, connector_config});
  // What a plugin logs outside hooks (through idsync_host_info): warnings and errors belong
  // next to the report, its chatter does not.
  plugin_host::set_plugin_log([](int32_t level, std::string_view message) {
    if (level >= IDSYNC_LOG_WARN) std::cerr << "plugin log: " << message << "\n";
  });
  if (!connector_config)
    // On stderr: stdout may be a JUnit or XML report.
    std::cerr << "contract kit: no --connector-config given; only the checks that need no live "
                 "connector run, the others are reported as skipped\n";
  int result = 0;
  {
    Catch::Session session;
    result = session.applyCommandLine(argc, argv);
    if (result == 0) result = session.run();
  }
  // Before static destruction: instances are gone, the registry and temp folders can go.
  release_context();
  plugin_host::set_plugin_log({});
  return result;
}

}  // namespace idsync::contract
