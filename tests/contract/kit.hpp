// The connector contract kit: a Catch2 suite that certifies any connector plugin by driving it
// through the C ABI exactly as the host does. Used by the `contract_kit` test executable and by
// `idsync plugin check DIR [--connector-config FILE]`.
#pragma once

#include <filesystem>
#include <optional>

namespace idsync::contract {

// Runs the kit against the plugin folder `plugin_dir` (the folder holding plugin.json and the
// library). `connector_config` is a JSON connector entry (tests/contract/README.md); without it
// only the checks that need no live connector run and the others are reported as skipped.
//
// argv[0] is the program name Catch2 shows; argv[1..argc) are ordinary Catch2 options (test
// name filters, -r junit, -s, ...). Output goes to stdout as Catch2 writes it.
//
// A plugin folder that does not load or a connector config file that cannot be read is not an
// error of the call: the tests that need them fail with the reason, so it shows in every
// report format.
//
// Returns Catch2's exit code: 0 when every test passed, else the number of failed assertions
// (at most 255). Catch2 allows one session per process: a second call prints why on stderr and
// returns 255 without running anything.
int run_kit(const std::filesystem::path& plugin_dir,
            const std::optional<std::filesystem::path>& connector_config, int argc, char** argv);

}  // namespace idsync::contract
