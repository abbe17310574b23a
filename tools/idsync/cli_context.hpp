// What every idsync subcommand shares: where the manifest is, how to print, exit codes.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "runtime/runtime.hpp"

namespace idsync::cli {

// Exit codes: the operation succeeded; it ran but did not succeed; usage or configuration.
constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

struct Context {
  std::string manifest_option;  // --manifest as given, may be empty
  // The chosen subcommand's work, set by its parse callback and run after parsing.
  std::function<int()> action;

  // --manifest, else $IDSYNC_MANIFEST, else /etc/idsync/idsync.json.
  std::filesystem::path manifest_path() const;
  // True when the admin named a manifest (option or environment) rather than the default.
  bool manifest_named() const;
  // Loads the manifest and plugins; prints the problems and returns nullptr on failure.
  std::unique_ptr<runtime::Runtime> load_runtime() const;
  // The store for reading, beside a running writer; nullptr when nothing has run yet. A store
  // that cannot be opened ends the command with exit 1 and the reason.
  static std::unique_ptr<store::Store> open_store_for_reading(const runtime::Runtime& rt);
};

// One --attr NAME=VALUE of the search commands.
struct AttrFilter {
  std::string name, value;
};
// Parses the --attr options; a malformed one ends the command with exit 2.
std::vector<AttrFilter> parse_attr_filters(const std::vector<std::string>& options);

// "true" or "false" (any case), as the cmdlets take $true and $false; anything else ends the
// command with exit 2 naming `option`.
bool parse_bool_option(const std::string& option, const std::string& text);

// Thrown by subcommands to end with an exit code after printing `message` to stderr.
struct Exit {
  int code;
  std::string message;
};

}  // namespace idsync::cli
