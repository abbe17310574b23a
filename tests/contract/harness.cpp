#include "contract/harness.hpp"

#include <catch2/catch.hpp>
#include <system_error>

#include "contract/hook_checks.hpp"
#include "contract/kit_context.hpp"
#include "contract/recording_diag.hpp"

namespace idsync::contract {

namespace fs = std::filesystem;

namespace {

std::string type_ids(const std::vector<const plugin_host::ConnectorType*>& types) {
  std::string out;
  for (const auto* t : types) out += (out.empty() ? "" : ", ") + t->id();
  return out.empty() ? "none" : out;
}

bool is_under(const fs::path& path, const fs::path& dir) {
  const fs::path rel = path.lexically_normal().lexically_relative(dir.lexically_normal());
  return !rel.empty() && *rel.begin() != "..";
}

}  // namespace

std::unique_ptr<Harness> Harness::open(const std::string& test) {
  const LoadedConfig* loaded = loaded_config();
  if (loaded == nullptr) {
    WARN(skip_message(test));
    return nullptr;
  }
  const LoadedPlugin& plugin = loaded_plugin();
  {
    INFO("the plugin did not load:" << lines(plugin.problems));
    REQUIRE(plugin.problems.empty());
  }
  {
    INFO("the connector config cannot be used: " << loaded->problem);
    REQUIRE(loaded->file.has_value());
  }

  std::unique_ptr<Harness> h(new Harness());
  h->spec_ = *loaded->file;
  if (h->spec_.type.empty()) {
    INFO("the connector config has no \"type\" and the plugin provides "
         << plugin.connector_types.size() << " connector types ("
         << type_ids(plugin.connector_types) << "); name one");
    REQUIRE(plugin.connector_types.size() == 1);
    h->spec_.type = plugin.connector_types.front()->id();
  }
  h->type_ = plugin.registry->connector_type(h->spec_.type);
  {
    INFO("the connector config names type \"" << h->spec_.type << "\", but the plugin provides "
                                              << type_ids(plugin.connector_types));
    REQUIRE(h->type_ != nullptr);
  }

  // Everything next to the config file is copied, so relative paths in it find the same data
  // in the copy, and whatever the connector writes there stays in the copy.
  h->data_dir_ = h->temp_.path() / "data";
  std::error_code ec;
  fs::copy(h->spec_.folder, h->data_dir_, fs::copy_options::recursive, ec);
  {
    INFO("cannot copy " << h->spec_.folder.string() << " to " << h->data_dir_.string() << ": "
                        << ec.message());
    REQUIRE_FALSE(ec);
  }

  h->decl_ = make_decl(h->spec_, h->data_dir_);
  std::vector<manifest::Diagnostic> problems;
  h->config_ = h->resolve(h->decl_, problems);
  std::vector<std::string> messages;
  for (const auto& d : problems) messages.push_back(manifest::to_string(d));
  {
    INFO(h->spec_.file.string() << " does not resolve against the fields of type \""
                                << h->spec_.type << "\":" << lines(messages));
    REQUIRE(problems.empty());
  }

  std::vector<std::string> secrets;
  for (const idsync_config_value& v : h->config_.values()) {
    const std::string name(v.name.ptr, v.name.len);
    if (h->config_.is_secret(name))
      if (auto text = h->config_.text(name)) secrets.emplace_back(*text);
  }
  set_secret_values(std::move(secrets));
  return h;
}

manifest::ResolvedConfig Harness::resolve(const manifest::ConnectorDecl& decl,
                                          std::vector<manifest::Diagnostic>& problems) const {
  const auto& fields = type_->fields();
  return manifest::resolve_config(decl, fields.data(), fields.size(), problems);
}

std::vector<std::string> Harness::paths_outside_copy() const {
  std::vector<std::string> out;
  for (const idsync_config_field* f : type_->fields()) {
    if (f->type != IDSYNC_CONFIG_PATH || !f->name) continue;
    const auto text = config_.text(f->name);
    if (text && !is_under(fs::path(std::string(*text)), data_dir_))
      out.push_back(std::string(f->name) + " = " + std::string(*text));
  }
  return out;
}

fs::path Harness::new_state_dir() {
  const fs::path dir = temp_.path() / ("state-" + std::to_string(++state_dirs_));
  std::error_code ec;
  fs::create_directory(dir, ec);
  // Connectors may keep credentials or cursors here; the host makes it private, so does the kit.
  fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
  return dir;
}

std::unique_ptr<Instance> Harness::create(const fs::path& state_dir) {
  RecordingDiag diag;
  CreateOutcome created =
      Instance::create(*type_, config_, spec_.name, spec_.object_types, state_dir, diag);
  check_hook_status("create", created.status, diag);
  {
    INFO("create returned " << status_name(created.status) << " (" << diag.describe() << ")");
    REQUIRE(created.status == IDSYNC_OK);
  }
  {
    INFO("create returned IDSYNC_OK but left *out_instance NULL");
    REQUIRE_FALSE(created.null_handle);
  }
  return std::move(created.instance);
}

std::vector<SchemaObjectType> Harness::schema(Instance& instance) {
  RecordingSchemaSink sink;
  RecordingDiag diag;
  const idsync_status status = instance.get_schema(sink, diag);
  check_hook_status("get_schema", status, diag, !sink.violations().empty());
  {
    INFO("get_schema returned " << status_name(status) << " (" << diag.describe() << ")");
    REQUIRE(status == IDSYNC_OK);
  }
  {
    INFO("schema sink breaches:" << lines(sink.violations()));
    REQUIRE(sink.violations().empty());
  }
  return sink.types();
}

}  // namespace idsync::contract
