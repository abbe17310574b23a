#include "cli_context.hpp"

#include <cstdlib>
#include <iostream>

#include "manifest/diagnostics.hpp"
#include "store/cs_object.hpp"

namespace idsync::cli {

std::filesystem::path Context::manifest_path() const {
  if (!manifest_option.empty()) return manifest_option;
  if (const char* env = std::getenv("IDSYNC_MANIFEST"); env && *env) return env;
  return "/etc/idsync/idsync.json";
}

bool Context::manifest_named() const {
  const char* env = std::getenv("IDSYNC_MANIFEST");
  return !manifest_option.empty() || (env && *env);
}

std::unique_ptr<runtime::Runtime> Context::load_runtime() const {
  try {
    return std::make_unique<runtime::Runtime>(manifest_path());
  } catch (const manifest::ManifestError& e) {
    throw Exit{kExitUsage, e.what()};
  }
}

std::vector<AttrFilter> parse_attr_filters(const std::vector<std::string>& options) {
  std::vector<AttrFilter> filters;
  for (const auto& f : options) {
    const auto eq = f.find('=');
    if (eq == std::string::npos || eq == 0)
      throw Exit{kExitUsage, "--attr " + f + ": expected NAME=VALUE"};
    filters.push_back({f.substr(0, eq), f.substr(eq + 1)});
  }
  return filters;
}

bool parse_bool_option(const std::string& option, const std::string& text) {
  if (store::iequals(text, "true")) return true;
  if (store::iequals(text, "false")) return false;
  throw Exit{kExitUsage, option + ": expected true or false, got \"" + text + "\""};
}

std::unique_ptr<store::Store> Context::open_store_for_reading(const runtime::Runtime& rt) {
  if (!std::filesystem::exists(rt.manifest().store.path / "CURRENT")) return nullptr;
  try {
    return rt.open_store_read_only();
  } catch (const store::StoreError& e) {
    throw Exit{kExitFailed, e.what()};
  }
}

}  // namespace idsync::cli
