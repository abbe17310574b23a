#include "contract/kit_context.hpp"

#include <sys/stat.h>

#include <memory>
#include <stdexcept>
#include <system_error>

#include "support/temp_dir.hpp"

namespace idsync::contract {

namespace fs = std::filesystem;

namespace {

struct Context {
  KitOptions options;
  std::unique_ptr<testing::TempDir> plugin_copy;
  std::optional<plugin_host::Registry> registry;
  std::optional<LoadedPlugin> plugin;
  std::optional<LoadedConfig> config;
};

Context& context() {
  static Context c;
  return c;
}

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  if (from.empty()) return;
  for (std::size_t pos = text.find(from); pos != std::string::npos;
       pos = text.find(from, pos + to.size()))
    text.replace(pos, from.size(), to);
}

// The host refuses plugin files writable by group or others; a build under umask 002 makes
// exactly those. The kit certifies the plugin, not the build tree's permissions.
void remove_group_other_write(const fs::path& root) {
  std::error_code ec;
  fs::permissions(root, fs::perms::group_write | fs::perms::others_write, fs::perm_options::remove,
                  ec);
  for (fs::recursive_directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec))
    fs::permissions(it->path(), fs::perms::group_write | fs::perms::others_write,
                    fs::perm_options::remove | fs::perm_options::nofollow, ec);
}

// A hint for the common mistake of passing the folder that holds plugin folders.
std::string layout_hint(const fs::path& dir) {
  std::error_code ec;
  if (fs::exists(dir / "plugin.json", ec)) return {};
  std::string found;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (fs::exists(it->path() / "plugin.json", ec)) found += " " + it->path().string();
  if (found.empty()) return " (pass the folder that holds plugin.json and the library)";
  return " (this folder holds plugin folders; pass one of:" + found + ")";
}

LoadedPlugin load(Context& c) {
  LoadedPlugin out;
  const fs::path& dir = c.options.plugin_dir;
  std::error_code ec;
  if (dir.empty()) {
    out.problems.push_back("no plugin folder given (--plugin DIR)");
    return out;
  }
  if (!fs::is_directory(dir, ec)) {
    out.problems.push_back(dir.string() + ": not a folder" + (ec ? ": " + ec.message() : ""));
    return out;
  }
  c.plugin_copy = std::make_unique<testing::TempDir>();
  const fs::path copy = c.plugin_copy->path() / "plugin";
  fs::copy(dir, copy, fs::copy_options::recursive, ec);
  if (ec) {
    out.problems.push_back("cannot copy " + dir.string() + " to " + copy.string() + ": " +
                           ec.message());
    return out;
  }
  remove_group_other_write(c.plugin_copy->path());

  c.registry.emplace(plugin_host::Registry::discover({c.plugin_copy->path()}));
  const plugin_host::Registry& registry = *c.registry;
  // Refusals name files in the copy; the vendor knows them by the folder they passed.
  for (const plugin_host::Refusal& r : registry.refused()) {
    std::string line = r.to_string();
    replace_all(line, copy.string(), dir.string());
    out.problems.push_back(line + layout_hint(dir));
  }
  if (out.problems.empty() && registry.plugins().size() != 1)
    out.problems.push_back(dir.string() + ": " + std::to_string(registry.plugins().size()) +
                           " plugins loaded from one folder, expected exactly one");
  if (!out.problems.empty()) return out;
  out.registry = &registry;
  out.record = &registry.plugins().front();
  out.connector_types = registry.connector_types();
  return out;
}

}  // namespace

void set_options(KitOptions options) {
  release_context();
  context().options = std::move(options);
}

const KitOptions& options() { return context().options; }

void release_context() {
  Context& c = context();
  c.plugin.reset();
  c.config.reset();
  c.registry.reset();
  c.plugin_copy.reset();
}

const LoadedPlugin& loaded_plugin() {
  Context& c = context();
  if (!c.plugin) c.plugin = load(c);
  return *c.plugin;
}

const LoadedConfig* loaded_config() {
  Context& c = context();
  if (!c.options.connector_config) return nullptr;
  if (!c.config) {
    c.config.emplace();
    try {
      c.config->file = load_connector_config(*c.options.connector_config);
    } catch (const std::exception& e) {
      c.config->problem = e.what();
    }
  }
  return &*c.config;
}

std::string skip_message(const std::string& what) {
  return "SKIPPED: " + what +
         " needs a live connector; pass --connector-config FILE (a JSON connector entry with "
         "\"type\" and \"config\", see tests/contract/README.md) to run it";
}

}  // namespace idsync::contract
