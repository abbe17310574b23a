// Checks that need only the plugin folder: loading, negotiation and what the library declares.
#include <idsync/plugin_abi.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <catch2/catch.hpp>
#include <cstring>
#include <set>
#include <string>
#include <vector>

#include "contract/hook_checks.hpp"
#include "contract/kit_context.hpp"
#include "manifest/plugin_config.hpp"
#include "support/temp_dir.hpp"

namespace idsync::contract {
namespace {

namespace json = boost::json;

const LoadedPlugin& require_loaded() {
  const LoadedPlugin& p = loaded_plugin();
  INFO("the host refused the plugin:" << lines(p.problems));
  REQUIRE(p.problems.empty());
  return p;
}

std::string joined(const std::set<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ", ") + s;
  return "[" + out + "]";
}

// What is wrong with a field's default_value (JSON text) for its type; empty when nothing.
std::string default_problem(const idsync_config_field& f) {
  json::error_code ec;
  const json::value v = json::parse(f.default_value, ec);
  if (ec) return "is not JSON: " + ec.message();
  // A secret's default is a reference ({"env": ...} / {"file": ...}); the host checks those.
  if (f.flags & IDSYNC_CONFIG_SECRET) return {};
  switch (f.type) {
    case IDSYNC_CONFIG_STRING:
    case IDSYNC_CONFIG_PATH: {
      if (!v.is_string()) return "is not a JSON string";
      if (f.type == IDSYNC_CONFIG_PATH && v.get_string().empty()) return "is an empty path";
      if (f.type == IDSYNC_CONFIG_STRING && f.allowed) {
        for (const char* const* a = f.allowed; *a; ++a)
          if (v.get_string() == *a) return {};
        return "is not one of the field's allowed values";
      }
      return {};
    }
    case IDSYNC_CONFIG_INTEGER: {
      if (!v.is_int64() && !v.is_uint64()) return "is not a JSON integer";
      if (f.min_value < f.max_value &&
          (v.is_uint64() || v.get_int64() < f.min_value || v.get_int64() > f.max_value))
        return "is outside the field's range " + std::to_string(f.min_value) + ".." +
               std::to_string(f.max_value);
      return {};
    }
    case IDSYNC_CONFIG_BOOLEAN:
      return v.is_bool() ? std::string() : "is not true or false";
    case IDSYNC_CONFIG_STRING_LIST:
      if (!v.is_array()) return "is not a JSON array";
      for (const json::value& item : v.get_array())
        if (!item.is_string()) return "holds an item that is not a string";
      return {};
  }
  return {};
}

}  // namespace

TEST_CASE("plugin: loads and negotiates an ABI minor the host offers", "[static][plugin]") {
  const LoadedPlugin& p = require_loaded();
  INFO("plugin \"" << p.record->name << "\" " << p.record->version);
  // The host offers IDSYNC_ABI_MINOR; an answer above it would mean the plugin reads fields the
  // host never filled.
  CHECK(p.record->abi_minor <= IDSYNC_ABI_MINOR);
  for (const plugin_host::ConnectorType* t : p.connector_types)
    CHECK(t->abi_minor() == p.record->abi_minor);
  CHECK_FALSE(p.record->name.empty());
  CHECK_FALSE(p.record->version.empty());
  {
    INFO("the kit certifies connectors; this plugin provides no connector type");
    CHECK_FALSE(p.connector_types.empty());
  }
  if (p.record->description.empty())
    WARN("plugin.json has no \"description\"; `idsync plugins` shows it to admins");
}

TEST_CASE("plugin: the library provides exactly the types plugin.json declares",
          "[static][plugin]") {
  const LoadedPlugin& p = require_loaded();
  std::set<std::string> library;
  for (const plugin_host::ConnectorType* t : p.connector_types)
    if (t->plugin() == p.record->name) library.insert(t->id());
  const std::set<std::string> sidecar(p.record->connector_types.begin(),
                                      p.record->connector_types.end());
  INFO("connector types in the library " << joined(library) << ", in plugin.json "
                                         << joined(sidecar));
  CHECK(library == sidecar);

  std::set<std::string> library_rules;
  for (const plugin_host::RuleType* t : p.registry->rule_types())
    if (t->plugin() == p.record->name) library_rules.insert(t->id());
  const std::set<std::string> sidecar_rules(p.record->rule_types.begin(),
                                            p.record->rule_types.end());
  INFO("rule types in the library " << joined(library_rules) << ", in plugin.json "
                                    << joined(sidecar_rules));
  CHECK(library_rules == sidecar_rules);
}

TEST_CASE("connector type: required hooks are present and capabilities match the hooks",
          "[static][type]") {
  const LoadedPlugin& p = require_loaded();
  for (const plugin_host::ConnectorType* t : p.connector_types) {
    const idsync_connector_type& raw = t->raw();
    INFO("connector type \"" << t->id() << "\", capabilities 0x" << std::hex << raw.capabilities
                             << std::dec);
    CHECK_FALSE(t->id().empty());
    CHECK(raw.create != nullptr);
    CHECK(raw.destroy != nullptr);
    CHECK(raw.get_schema != nullptr);
    CHECK(raw.full_import != nullptr);
    // "A flag must be set exactly when the matching hook is non-NULL."
    CHECK(t->can(IDSYNC_CAP_FULL_IMPORT) == (raw.full_import != nullptr));
    CHECK(t->can(IDSYNC_CAP_DELTA_IMPORT) == (raw.delta_import != nullptr));
    CHECK(t->can(IDSYNC_CAP_EXPORT) == (raw.export_batch != nullptr));
    CHECK(t->can(IDSYNC_CAP_CURRENT_WATERMARK) == (raw.current_watermark != nullptr));
    CHECK(t->can(IDSYNC_CAP_TEST_CONNECTION) == (raw.test_connection != nullptr));
    const uint32_t known = IDSYNC_CAP_FULL_IMPORT | IDSYNC_CAP_DELTA_IMPORT | IDSYNC_CAP_EXPORT |
                           IDSYNC_CAP_CURRENT_WATERMARK | IDSYNC_CAP_TEST_CONNECTION;
    CHECK((raw.capabilities & ~known) == 0u);
    // ABI rule 2: struct_size is sizeof as the plugin was compiled. At the host's own minor
    // that is the host's sizeof; anything smaller leaves hooks the plugin meant to set unseen.
    if (t->abi_minor() == IDSYNC_ABI_MINOR) {
      INFO("struct_size the plugin set: " << t->plugin_struct_size());
      CHECK(t->plugin_struct_size() == sizeof(idsync_connector_type));
    }
    if (t->display_name().empty()) WARN("connector type \"" << t->id() << "\" has no display_name");
    if (t->can(IDSYNC_CAP_CURRENT_WATERMARK) && !t->can(IDSYNC_CAP_DELTA_IMPORT))
      WARN("connector type \"" << t->id()
                               << "\" offers current_watermark but no delta_import to use it");
  }
}

TEST_CASE("connector type: config fields are named, documented and have valid defaults",
          "[static][type][config]") {
  const LoadedPlugin& p = require_loaded();
  for (const plugin_host::ConnectorType* t : p.connector_types) {
    std::set<std::string> names;
    for (const idsync_config_field* f : t->fields()) {
      const std::string name = f->name ? f->name : "";
      INFO("connector type \"" << t->id() << "\", config field \"" << name << "\"");
      CHECK_FALSE(name.empty());
      CHECK(names.insert(name).second);
      // `idsync plugins --json` and every "required key is missing" message show the doc.
      CHECK((f->doc != nullptr && f->doc[0] != '\0'));
      CHECK(f->type <= IDSYNC_CONFIG_PATH);
      CHECK((f->flags & ~(IDSYNC_CONFIG_REQUIRED | IDSYNC_CONFIG_SECRET)) == 0u);
      if (f->allowed) {
        INFO("`allowed` is for STRING fields only");
        CHECK(f->type == IDSYNC_CONFIG_STRING);
        for (const char* const* a = f->allowed; *a; ++a) CHECK((*a)[0] != '\0');
      }
      if (f->default_value) {
        const std::string problem = default_problem(*f);
        INFO("default " << f->default_value << " " << problem);
        CHECK(problem.empty());
      }
    }

    // The host's own reading of the declarations: resolve an empty config. The only problems
    // allowed are required fields the empty config lacks and secrets it cannot resolve; one
    // reported at "type" is a mistake in the plugin.
    testing::TempDir base;
    manifest::ConnectorDecl decl;
    decl.name = "contract-kit";
    decl.type = t->id();
    decl.base_dir = base.path();
    std::vector<manifest::Diagnostic> problems;
    manifest::resolve_config(decl, t->fields().data(), t->fields().size(), problems);
    std::vector<std::string> unexpected;
    for (const manifest::Diagnostic& d : problems) {
      bool expected = false;
      for (const idsync_config_field* f : t->fields()) {
        if (!f->name || d.path != "config." + std::string(f->name)) continue;
        expected = ((f->flags & IDSYNC_CONFIG_REQUIRED) && !f->default_value) ||
                   (f->flags & IDSYNC_CONFIG_SECRET);
      }
      if (!expected) unexpected.push_back(manifest::to_string(d));
    }
    INFO("connector type \"" << t->id() << "\": resolving an empty config found problems in "
                             << "the declarations:" << lines(unexpected));
    CHECK(unexpected.empty());
  }
}

}  // namespace idsync::contract
