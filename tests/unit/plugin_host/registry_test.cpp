// The registry as a whole: what loads, what it keeps, and that refusals stay contained.
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstddef>
#include <set>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace idsync::plugin_host::test {
namespace {

using Catch::Matchers::Contains;

// The variants tests/fakes builds to load; every other folder there must be refused.
const std::set<std::string> kLoading = {"good", "rules", "rules_builtin", "rules_clash", "short"};

TEST_CASE("registry: the good plugin loads and its connector type is host-owned") {
  TempDir tmp;
  const Registry registry = Registry::discover({plugin_dir_with(tmp, {"good"})});
  CHECK(registry.refused().empty());
  REQUIRE(registry.plugins().size() == 1);
  const PluginRecord& p = registry.plugins()[0];
  CHECK(p.name == "fake-good");
  CHECK(p.version == "0.1.0");
  CHECK(p.abi_minor == 0);
  CHECK(p.folder == tmp.path() / "good");
  CHECK(p.library == tmp.path() / "good" / "libidsync_fake_good.so");
  CHECK(p.connector_types == std::vector<std::string>{"fake.good"});
  CHECK(p.rule_types.empty());
  CHECK_THAT(p.description, Contains("variant good"));

  const ConnectorType* t = registry.connector_type("fake.good");
  REQUIRE(t != nullptr);
  CHECK(t->id() == "fake.good");
  CHECK(t->plugin() == "fake-good");
  CHECK(t->display_name() == "Fake connector");
  CHECK(t->capabilities() == (IDSYNC_CAP_FULL_IMPORT | IDSYNC_CAP_TEST_CONNECTION));
  CHECK(t->can(IDSYNC_CAP_TEST_CONNECTION));
  CHECK_FALSE(t->can(IDSYNC_CAP_EXPORT));
  CHECK(t->raw().struct_size == sizeof(idsync_connector_type));
  CHECK(t->plugin_struct_size() == sizeof(idsync_connector_type));

  // The field list and raw().config_fields are the host's copies, not the plugin's arrays.
  REQUIRE(t->fields().size() == 3);
  CHECK(t->raw().config_field_count == 3);
  CHECK(t->raw().config_fields == t->fields().data());
  const idsync_config_field* count = t->field("count");
  REQUIRE(count != nullptr);
  CHECK(count == t->fields()[0]);
  CHECK(count->type == IDSYNC_CONFIG_INTEGER);
  CHECK(std::string(count->default_value) == "10");
  CHECK(count->max_value == 1000000);
  CHECK(t->field("prefix") != nullptr);
  CHECK(t->field("fail_at") != nullptr);
  CHECK(t->field("nope") == nullptr);
  CHECK(registry.connector_type("fake.missing") == nullptr);
}

TEST_CASE("registry: every fake at once, the good ones load alongside all refused ones") {
  const Registry registry = Registry::discover({fakes_dir()});

  std::set<std::string> loaded;
  for (const PluginRecord& p : registry.plugins()) loaded.insert(p.folder.filename().string());
  CHECK(loaded == kLoading);

  // Every other variant folder is refused exactly once, and the refusal names a file in it.
  std::multiset<std::string> refused;
  for (const Refusal& r : registry.refused()) {
    const fs::path rel = r.file.lexically_relative(fakes_dir());
    REQUIRE_FALSE(rel.empty());
    refused.insert(rel.begin()->string());
  }
  std::multiset<std::string> expected;
  for (const auto& entry : fs::directory_iterator(fakes_dir()))
    if (entry.is_directory() && !kLoading.count(entry.path().filename().string()))
      expected.insert(entry.path().filename().string());
  CHECK(refused == expected);
  CHECK(expected.size() >= 18);

  CHECK(registry.connector_type("fake.good")->plugin() == "fake-good");
  CHECK(registry.connector_type("fake.short") != nullptr);
  CHECK(registry.connector_type("fake.rules-connector") != nullptr);
  CHECK(registry.rule_type("fake.rules") != nullptr);
  CHECK(registry.connector_types().size() == kLoading.size());
  CHECK(registry.connector_type("fake.oversized") == nullptr);
}

TEST_CASE("registry: a refused plugin does not stop the ones after it") {
  TempDir tmp;
  // Sorted: cap_no_hook, good, malformed, no_entry, short, unresolved.
  const Registry registry = Registry::discover({plugin_dir_with(
      tmp, {"malformed", "cap_no_hook", "good", "no_entry", "short", "unresolved"})});
  REQUIRE(registry.plugins().size() == 2);
  CHECK(registry.plugins()[0].name == "fake-good");
  CHECK(registry.plugins()[1].name == "fake-short");
  CHECK(registry.refused().size() == 4);
}

TEST_CASE("registry: discovery order is deterministic and the log tells what happened") {
  std::vector<std::string> lines;
  const LogFn log = [&](int32_t level, std::string_view message) {
    lines.push_back(std::to_string(level) + " " + std::string(message));
  };
  const Registry a = Registry::discover({fakes_dir()}, log);
  const Registry b = Registry::discover({fakes_dir(), fakes_dir()});  // a dir given twice
  REQUIRE(a.plugins().size() == b.plugins().size());
  for (std::size_t i = 0; i < a.plugins().size(); ++i)
    CHECK(a.plugins()[i].folder == b.plugins()[i].folder);
  REQUIRE(a.refused().size() == b.refused().size());
  for (std::size_t i = 0; i < a.refused().size(); ++i)
    CHECK(a.refused()[i].to_string() == b.refused()[i].to_string());

  // Loaded once per process: the second registry sees the same code.
  CHECK(a.connector_type("fake.good")->raw().full_import ==
        b.connector_type("fake.good")->raw().full_import);

  CHECK(lines.size() == a.plugins().size() + a.refused().size());
  const std::string info = std::to_string(IDSYNC_LOG_INFO) + " loaded plugin 'fake-good' 0.1.0";
  const std::string warn = std::to_string(IDSYNC_LOG_WARN) + " refused plugin: ";
  CHECK(std::count_if(lines.begin(), lines.end(),
                      [&](const std::string& l) { return l.rfind(info, 0) == 0; }) == 1);
  CHECK(std::count_if(lines.begin(), lines.end(), [&](const std::string& l) {
          return l.rfind(warn, 0) == 0;
        }) == static_cast<long>(a.refused().size()));
}

TEST_CASE("registry: a shorter struct is zero-extended in the host's copy") {
  TempDir tmp;
  const Registry registry = Registry::discover({plugin_dir_with(tmp, {"short"})});
  CHECK(registry.refused().empty());
  const ConnectorType* t = registry.connector_type("fake.short");
  REQUIRE(t != nullptr);
  // The plugin's struct ends right after full_import, the last required hook ...
  CHECK(t->plugin_struct_size() ==
        offsetof(idsync_connector_type, full_import) + sizeof(t->raw().full_import));
  // ... so the hooks it left set past that end must read as NULL in the copy (had the host
  // read them, it would also have refused the type for hooks without capability flags).
  CHECK(t->raw().struct_size == sizeof(idsync_connector_type));
  CHECK(t->raw().full_import != nullptr);
  CHECK(t->raw().delta_import == nullptr);
  CHECK(t->raw().current_watermark == nullptr);
  CHECK(t->raw().export_batch == nullptr);
  CHECK(t->capabilities() == (IDSYNC_CAP_FULL_IMPORT | IDSYNC_CAP_TEST_CONNECTION));

  // Same for a config field whose struct ends after flags: default and doc are gone.
  const idsync_config_field* prefix = t->field("prefix");
  REQUIRE(prefix != nullptr);
  CHECK(prefix->struct_size == sizeof(idsync_config_field));
  CHECK(prefix->type == IDSYNC_CONFIG_STRING);
  CHECK(prefix->default_value == nullptr);
  CHECK(prefix->doc == nullptr);
  CHECK(prefix->max_value == 0);
  REQUIRE(t->field("count") != nullptr);
  CHECK(t->field("count")->doc != nullptr);
}

TEST_CASE("registry: rule types are copied and callable") {
  TempDir tmp;
  const Registry registry = Registry::discover({plugin_dir_with(tmp, {"rules"})});
  CHECK(registry.refused().empty());
  const RuleType* rules = registry.rule_type("fake.rules");
  REQUIRE(rules != nullptr);
  CHECK(rules->plugin() == "fake-rules");
  CHECK(registry.plugins()[0].rule_types == std::vector<std::string>{"fake.rules"});
  REQUIRE(rules->functions().size() == 1);
  REQUIRE(rules->transforms().size() == 1);
  CHECK(rules->raw().functions == rules->functions().data());
  CHECK(rules->raw().transforms == rules->transforms().data());
  CHECK(rules->transform("FakeCopy") != nullptr);

  const idsync_rule_function* upper = rules->function("FakeUpper");
  REQUIRE(upper != nullptr);
  CHECK(upper->min_args == 1);
  CHECK(upper->max_args == 1);

  const std::string input = "abc-Def";
  idsync_bytes value{reinterpret_cast<const uint8_t*>(input.data()), input.size()};
  idsync_value_list arg{sizeof(idsync_value_list), IDSYNC_VALUE_STRING, &value, 1};
  const idsync_value_list* args[] = {&arg};
  std::vector<std::string> results;
  idsync_value_sink sink{sizeof(idsync_value_sink), &results,
                         [](void* ctx, idsync_value_type, idsync_bytes v) {
                           static_cast<std::vector<std::string>*>(ctx)->emplace_back(
                               reinterpret_cast<const char*>(v.ptr), v.len);
                         }};
  REQUIRE(upper->call(args, 1, &sink, nullptr) == IDSYNC_OK);
  CHECK(results == std::vector<std::string>{"ABC-DEF"});
}

TEST_CASE("registry: default_plugin_dir is lib/idsync/plugins beside the executable's bin") {
  const fs::path exe = fs::read_symlink("/proc/self/exe");
  CHECK(default_plugin_dir() ==
        (exe.parent_path().parent_path() / "lib" / "idsync" / "plugins").lexically_normal());
}

}  // namespace
}  // namespace idsync::plugin_host::test
