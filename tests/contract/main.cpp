// contract_kit: runs the connector contract kit against one plugin folder.
//
//   contract_kit --plugin DIR [--connector-config FILE] [Catch2 options...]
//
// The kit's own options are taken out; everything else goes to Catch2 unchanged.
#include <cstring>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "contract/kit.hpp"

namespace {

constexpr const char* kUsage =
    "usage: contract_kit --plugin DIR [--connector-config FILE] [Catch2 options...]\n"
    "  --plugin DIR              the plugin folder (plugin.json and the library)\n"
    "  --connector-config FILE   a JSON connector entry to test a live instance with\n"
    "                            (tests/contract/README.md); without it only the checks\n"
    "                            that need no instance run\n";

// Takes `--name VALUE` or `--name=VALUE` at argv[i]; advances i past what it used.
bool take(int argc, char** argv, int& i, const char* name, std::optional<std::string>& out,
          std::string& error) {
  const std::size_t n = std::strlen(name);
  const char* arg = argv[i];
  if (std::strncmp(arg, name, n) != 0) return false;
  if (arg[n] == '=') {
    out = std::string(arg + n + 1);
    return true;
  }
  if (arg[n] != '\0') return false;
  if (i + 1 >= argc) {
    error = std::string(name) + " needs a value";
    return true;
  }
  out = std::string(argv[++i]);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::optional<std::string> plugin;
  std::optional<std::string> config;
  std::vector<char*> rest{argv[0]};
  bool help = false;
  std::string error;
  for (int i = 1; i < argc && error.empty(); ++i) {
    if (take(argc, argv, i, "--plugin", plugin, error)) continue;
    if (take(argc, argv, i, "--connector-config", config, error)) continue;
    const std::string arg = argv[i];
    if (arg == "-h" || arg == "--help" || arg == "-?") help = true;
    rest.push_back(argv[i]);
  }
  if (!error.empty()) {
    std::cerr << "contract_kit: " << error << "\n" << kUsage;
    return 2;
  }
  if (help) std::cout << kUsage << "\nCatch2 options:\n";
  if (!plugin && !help) {
    std::cerr << "contract_kit: --plugin DIR is required\n" << kUsage;
    return 2;
  }
  std::optional<std::filesystem::path> config_path;
  if (config) config_path = *config;
  rest.push_back(nullptr);
  return idsync::contract::run_kit(plugin.value_or(std::string()), config_path,
                                   static_cast<int>(rest.size()) - 1, rest.data());
}
