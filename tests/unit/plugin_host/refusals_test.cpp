// One test per reason the host refuses a plugin: each loads one fake variant alone and checks
// that the single refusal names the right file and says what is wrong.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstddef>
#include <string>

#include "test_support.hpp"

namespace idsync::plugin_host::test {
namespace {

using Catch::Matchers::Contains;

struct Outcome {
  fs::path folder;  // the variant's folder (already removed: only the path is compared)
  Refusal refusal;
};

// Discovers a plugin dir holding only `variant`; it must be refused and nothing loaded.
Outcome refuse(const std::string& variant) {
  TempDir tmp;
  const fs::path folder = copy_variant(variant, tmp.path());
  const Registry registry = Registry::discover({tmp.path()});
  CHECK(registry.plugins().empty());
  CHECK(registry.connector_types().empty());
  return {folder, only_refusal(registry)};
}

fs::path library_of(const fs::path& folder, const std::string& variant) {
  return folder / ("libidsync_fake_" + variant + ".so");
}

TEST_CASE("refused: malformed plugin.json names the JSON problem and where it is") {
  const Outcome o = refuse("malformed");
  CHECK(o.refusal.file == o.folder / "plugin.json");
  CHECK_THAT(o.refusal.reason, Contains("malformed plugin.json: "));
  CHECK_THAT(o.refusal.reason, Contains("syntax error"));
  CHECK_THAT(o.refusal.reason, Contains("line 4, column"));
}

TEST_CASE("refused: a plugin folder without plugin.json") {
  TempDir tmp;
  const fs::path folder = tmp.path() / "empty";
  fs::create_directory(folder);
  make_trusted(folder);
  const Registry registry = Registry::discover({tmp.path()});
  const Refusal r = only_refusal(registry);
  CHECK(r.file == folder / "plugin.json");
  CHECK_THAT(r.reason, Contains("missing plugin.json"));
}

TEST_CASE("refused: the library named in plugin.json is missing") {
  const Outcome o = refuse("no_library");
  CHECK(o.refusal.file == library_of(o.folder, "no_library"));
  CHECK(o.refusal.reason == "library named in plugin.json does not exist");
}

TEST_CASE("refused: the library fails to load, with dlerror's text") {
  const Outcome o = refuse("unresolved");
  CHECK(o.refusal.file == library_of(o.folder, "unresolved"));
  CHECK_THAT(o.refusal.reason, Contains("cannot load library: "));
  // dlerror's own words, thanks to RTLD_NOW: the symbol is named at load time.
  CHECK_THAT(o.refusal.reason, Contains("undefined symbol: idsync_fake_symbol_defined_nowhere"));
}

TEST_CASE("refused: the library does not export idsync_plugin_entry_v1") {
  const Outcome o = refuse("no_entry");
  CHECK(o.refusal.file == library_of(o.folder, "no_entry"));
  CHECK_THAT(o.refusal.reason, Contains("no entry symbol idsync_plugin_entry_v1"));
}

TEST_CASE("refused: plugin.json declares ABI major 2") {
  const Outcome o = refuse("abi_major");
  CHECK(o.refusal.file == o.folder / "plugin.json");
  CHECK_THAT(o.refusal.reason, Contains("declares ABI major 2"));
  CHECK_THAT(o.refusal.reason, Contains("speaks only ABI major 1"));
}

TEST_CASE("refused: plugin.json needs a newer ABI minor than the host's") {
  const Outcome o = refuse("minor_sidecar");
  CHECK(o.refusal.file == o.folder / "plugin.json");
  CHECK_THAT(o.refusal.reason, Contains("needs ABI minor 99 (1.99), newer than this host's 1." +
                                        std::to_string(IDSYNC_ABI_MINOR)));
  CHECK_THAT(o.refusal.reason, Contains("upgrade idsync"));
}

TEST_CASE("refused: the entry answers IDSYNC_INCOMPATIBLE") {
  const Outcome o = refuse("minor_entry");
  CHECK(o.refusal.file == library_of(o.folder, "minor_entry"));
  CHECK_THAT(o.refusal.reason, Contains("needs a newer ABI minor than this host offers"));
  CHECK_THAT(o.refusal.reason, Contains("IDSYNC_INCOMPATIBLE"));
}

TEST_CASE("refused: the entry answers a minor newer than offered") {
  const Outcome o = refuse("minor_answer");
  CHECK(o.refusal.file == library_of(o.folder, "minor_answer"));
  CHECK_THAT(o.refusal.reason,
             Contains("answered ABI minor 5 (1.5) but this host offered at most 1." +
                      std::to_string(IDSYNC_ABI_MINOR)));
}

TEST_CASE("refused: the entry returns a failure status") {
  const Outcome o = refuse("entry_fails");
  CHECK(o.refusal.file == library_of(o.folder, "entry_fails"));
  CHECK(o.refusal.reason == "the plugin's entry failed with IDSYNC_FATAL");
}

TEST_CASE("refused: an oversized connector type struct, naming struct and sizes") {
  const Outcome o = refuse("oversized");
  CHECK(o.refusal.file == library_of(o.folder, "oversized"));
  // The fake appends two pointers to the struct.
  const std::size_t size = sizeof(idsync_connector_type) + 2 * sizeof(void*);
  CHECK_THAT(o.refusal.reason,
             Contains("oversized struct: connector type #0 'fake.oversized' "
                      "(idsync_connector_type) has struct_size " +
                      std::to_string(size) + ", but ABI 1.0 defines it with at most " +
                      std::to_string(sizeof(idsync_connector_type)) + " bytes"));
}

TEST_CASE("refused: an undersized connector type struct (ends before full_import)") {
  const Outcome o = refuse("undersized");
  CHECK(o.refusal.file == library_of(o.folder, "undersized"));
  const std::size_t end = offsetof(idsync_connector_type, full_import) + sizeof(void*);
  CHECK_THAT(o.refusal.reason,
             Contains("undersized struct: connector type #0 (idsync_connector_type) has "
                      "struct_size " +
                      std::to_string(offsetof(idsync_connector_type, full_import)) +
                      ", but its required fields end at byte " + std::to_string(end) +
                      " (after full_import)"));
}

TEST_CASE("refused: a required hook is missing, naming the type and the hook") {
  const Outcome o = refuse("no_hook");
  CHECK(o.refusal.file == library_of(o.folder, "no_hook"));
  CHECK(o.refusal.reason ==
        "connector type 'fake.no_hook' lacks the required hook get_schema (it is NULL)");
}

TEST_CASE("refused: a capability flag without its hook") {
  const Outcome o = refuse("cap_no_hook");
  CHECK(o.refusal.file == library_of(o.folder, "cap_no_hook"));
  CHECK(o.refusal.reason ==
        "connector type 'fake.cap_no_hook' sets capability IDSYNC_CAP_DELTA_IMPORT but its "
        "delta_import hook is NULL");
}

TEST_CASE("refused: a hook without its capability flag") {
  const Outcome o = refuse("hook_no_cap");
  CHECK(o.refusal.file == library_of(o.folder, "hook_no_cap"));
  CHECK(o.refusal.reason ==
        "connector type 'fake.hook_no_cap' sets the export_batch hook but not capability "
        "IDSYNC_CAP_EXPORT");
}

TEST_CASE("refused: plugin.json lists types the library does not declare") {
  const Outcome o = refuse("types_mismatch");
  CHECK(o.refusal.file == library_of(o.folder, "types_mismatch"));
  CHECK(o.refusal.reason ==
        "plugin.json lists connector types [fake.phantom, fake.types_mismatch] but the library "
        "declares [fake.types_mismatch]; not in the library: [fake.phantom]");
}

TEST_CASE("refused: the library's version differs from plugin.json's") {
  const Outcome o = refuse("version_mismatch");
  CHECK(o.refusal.file == library_of(o.folder, "version_mismatch"));
  CHECK(o.refusal.reason == "plugin.json gives version 0.1.0 but the library says 9.9.9");
}

TEST_CASE("refused: a config field default that is not JSON") {
  const Outcome o = refuse("bad_default");
  CHECK(o.refusal.file == library_of(o.folder, "bad_default"));
  CHECK_THAT(o.refusal.reason,
             Contains("connector type 'fake.bad_default' config field 'count' has a "
                      "default_value that is not JSON"));
}

TEST_CASE("refused: a type id already registered, naming the plugin that has it") {
  TempDir tmp;
  const Registry registry = Registry::discover({plugin_dir_with(tmp, {"good", "good_twin"})});
  // "good" sorts first and keeps the id; the twin is refused before any of its code runs.
  REQUIRE(registry.plugins().size() == 1);
  CHECK(registry.plugins()[0].name == "fake-good");
  const Refusal r = only_refusal(registry);
  CHECK(r.file == tmp.path() / "good_twin" / "plugin.json");
  CHECK(r.reason ==
        "duplicate connector type 'fake.good': already provided by plugin "
        "'fake-good' (" +
            (tmp.path() / "good").string() + ")");
  REQUIRE(registry.connector_type("fake.good") != nullptr);
  CHECK(registry.connector_type("fake.good")->plugin() == "fake-good");
}

TEST_CASE("refused: the same plugin in a second plugin dir") {
  TempDir first, second;
  const Registry registry =
      Registry::discover({plugin_dir_with(first, {"good"}), plugin_dir_with(second, {"good"})});
  REQUIRE(registry.plugins().size() == 1);
  CHECK(registry.plugins()[0].folder == first.path() / "good");
  const Refusal r = only_refusal(registry);
  CHECK(r.file == second.path() / "good" / "plugin.json");
  CHECK(r.reason == "duplicate plugin name 'fake-good': already loaded from " +
                        (first.path() / "good").string());
}

// The world-writable cases copy the good plugin and loosen one path's mode.
TEST_CASE("refused: plugin files or folders writable by group or others") {
  TempDir tmp;
  const fs::path dir = plugin_dir_with(tmp, {"good"});
  const fs::path folder = dir / "good";
  fs::path loosened;
  SECTION("the library") { loosened = library_of(folder, "good"); }
  SECTION("plugin.json") { loosened = folder / "plugin.json"; }
  SECTION("the plugin's folder") { loosened = folder; }
  SECTION("the plugin dir itself") { loosened = dir; }
  fs::permissions(loosened, fs::perms::others_write, fs::perm_options::add);
  struct stat st {};
  REQUIRE(::stat(loosened.c_str(), &st) == 0);
  char mode[8];
  std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));

  const Registry registry = Registry::discover({dir});
  CHECK(registry.plugins().empty());
  const Refusal r = only_refusal(registry);
  CHECK(r.file == loosened);
  CHECK_THAT(r.reason, Contains(std::string("writable by group or others (mode ") + mode + ")"));
  CHECK_THAT(r.reason, Contains("Fix: chmod go-w '" + loosened.string() + "'"));
}

TEST_CASE("refused: a group-writable plugin folder") {
  TempDir tmp;
  const fs::path dir = plugin_dir_with(tmp, {"good"});
  fs::permissions(dir / "good", fs::perms::group_write, fs::perm_options::add);
  const Refusal r = only_refusal(Registry::discover({dir}));
  CHECK(r.file == dir / "good");
  CHECK_THAT(r.reason, Contains("writable by group or others (mode 0775)"));
}

TEST_CASE("refused: a library owned by another user") {
  if (::geteuid() != 0) {
    WARN("not root: cannot give a file to another user; owner check not exercised");
    return;
  }
  TempDir tmp;
  const fs::path dir = plugin_dir_with(tmp, {"good"});
  const fs::path library = library_of(dir / "good", "good");
  REQUIRE(::chown(library.c_str(), 65534, static_cast<gid_t>(-1)) == 0);
  const Refusal r = only_refusal(Registry::discover({dir}));
  CHECK(r.file == library);
  CHECK_THAT(r.reason, Contains("owned by uid 65534, neither root nor the current user"));
}

TEST_CASE("refused: a plugin dir that does not exist is a note, not a crash") {
  TempDir tmp;
  const fs::path missing = tmp.path() / "no-such-dir";
  const Registry registry = Registry::discover({missing, plugin_dir_with(tmp, {"good"})});
  CHECK(registry.plugins().size() == 1);
  const Refusal r = only_refusal(registry);
  CHECK(r.file == missing);
  CHECK(r.reason == "plugin folder does not exist");
}

}  // namespace
}  // namespace idsync::plugin_host::test
