#include "runtime/runtime.hpp"

#include <spdlog/spdlog.h>

#include <chrono>

#include "exporter/export_step.hpp"
#include "runtime/sync_step.hpp"
#include "store/run_history.hpp"

namespace idsync::runtime {

namespace {

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::vector<std::filesystem::path> dirs_for(const manifest::Manifest& m) {
  std::vector<std::filesystem::path> dirs;
  if (auto shipped = plugin_host::default_plugin_dir();
      !shipped.empty() && std::filesystem::exists(shipped))
    dirs.push_back(shipped);
  for (const auto& d : m.plugin_dirs) dirs.push_back(d);
  return dirs;
}

void log_plugin_host(int32_t level, std::string_view message) {
  spdlog::log(level >= IDSYNC_LOG_ERROR  ? spdlog::level::err
              : level >= IDSYNC_LOG_WARN ? spdlog::level::warn
              : level >= IDSYNC_LOG_INFO ? spdlog::level::info
                                         : spdlog::level::debug,
              "{}", message);
}

// The step's result when setting it up or running it threw.
void fail_step(importer::StepResult& result, std::exception_ptr error) {
  try {
    std::rethrow_exception(error);
  } catch (const manifest::ManifestError& e) {
    result.status = "stopped-configuration";
    result.error_kind = IDSYNC_ERR_CONFIG;
    result.message = e.what();
  } catch (const sync_rules::RulesError& e) {
    result.status = "stopped-configuration";
    result.error_kind = IDSYNC_ERR_CONFIG;
    result.message = e.what();
  } catch (const ConnectorCreateError& e) {
    result.status = importer::stopped_status(IDSYNC_ERROR, e.kind());
    result.error_kind = e.kind();
    result.message = e.what();
  } catch (const std::exception& e) {
    result.status = "stopped-store-error";
    result.error_kind = IDSYNC_ERR_INTERNAL;
    result.message = e.what();
  }
}

}  // namespace

bool ProfileReport::ok() const {
  for (const auto& s : steps)
    if (!s.result.ok()) return false;
  return !steps.empty();
}

Runtime::Runtime(const std::filesystem::path& manifest_file)
    : manifest_(manifest::load_manifest(manifest_file)),
      registry_(plugin_host::Registry::discover(dirs_for(manifest_), &log_plugin_host)) {}

std::vector<std::filesystem::path> Runtime::plugin_dirs() const { return dirs_for(manifest_); }

manifest::ResolvedConfig Runtime::resolve(const manifest::ConnectorDecl& decl,
                                          std::vector<manifest::Diagnostic>& problems) const {
  const plugin_host::ConnectorType* type = registry_.connector_type(decl.type);
  if (!type) {
    std::string known;
    for (const auto* t : registry_.connector_types())
      known += (known.empty() ? "\"" : ", \"") + t->id() + "\"";
    problems.push_back(
        {decl.json_path + ".type", "no loaded plugin provides connector type \"" + decl.type +
                                       "\" (loaded: " + (known.empty() ? "none" : known) +
                                       "; see `idsync plugins` for refused plugins)"});
    return {};
  }
  return manifest::resolve_config(decl, type->fields().data(), type->fields().size(), problems);
}

std::vector<manifest::Diagnostic> Runtime::check_connectors() const {
  std::vector<manifest::Diagnostic> problems;
  for (const auto& decl : manifest_.connectors) resolve(decl, problems);
  return problems;
}

const LoadedRules& Runtime::rules() {
  if (!rules_) rules_ = load_manifest_rules(manifest_, registry_);
  return *rules_;
}

std::vector<sync_rules::RuleDiagnostic> Runtime::check_rules() {
  try {
    rules();
    return {};
  } catch (const sync_rules::RulesError& e) {
    return e.diagnostics();
  }
}

store::Store& Runtime::store() {
  if (!store_) store_ = store::Store::open(manifest_.store.path);
  return *store_;
}

std::shared_ptr<store::Store> Runtime::shared_store() {
  store();
  return store_;
}

std::unique_ptr<store::Store> Runtime::open_store_read_only() const {
  return store::Store::open_read_only(manifest_.store.path);
}

std::filesystem::path Runtime::state_dir(const manifest::ConnectorDecl& decl) const {
  // Next to the store, so that backing up the state folder keeps connector state and store
  // together.
  return manifest_.store.path.parent_path() / "connectors" / decl.name;
}

std::unique_ptr<ConnectorInstance> Runtime::create_connector(
    const manifest::ConnectorDecl& decl) const {
  std::vector<manifest::Diagnostic> problems;
  manifest::ResolvedConfig config = resolve(decl, problems);
  if (!problems.empty())
    throw manifest::ManifestError(manifest_.file.string(), std::move(problems));
  return ConnectorInstance::create(decl, *registry_.connector_type(decl.type), config,
                                   state_dir(decl));
}

ProfileReport Runtime::run_profile(const manifest::ConnectorDecl& decl,
                                   const manifest::RunProfile& profile, const RunOptions& options) {
  ProfileReport report{decl.name, profile.name, {}};
  store::Store& st = store();
  store::RunHistory history(st);
  std::unique_ptr<ConnectorInstance> instance;

  for (const manifest::RunStep& step : profile.steps) {
    StepReport sr;
    sr.step = manifest::to_string(step.type);
    sr.started_unix_ms = now_ms();
    importer::StepResult& result = sr.result;
    switch (step.type) {
      case manifest::StepType::kFullImport:
      case manifest::StepType::kDeltaImport: {
        try {
          if (!instance) instance = create_connector(decl);
          importer::ImportStepOptions io;
          io.kind = step.type == manifest::StepType::kFullImport ? store::ImportKind::full
                                                                 : store::ImportKind::delta;
          io.page_size = step.page_size;
          io.cancel = options.cancel;
          io.full_import_delete_limit = decl.full_import_delete_limit;
          io.allow_deletes_once = options.allow_deletes_once;
          io.run_profile = profile.name;
          if (options.on_progress)
            io.on_progress = [&](const store::ImportCounters& c) {
              options.on_progress(sr.step, c);
            };
          result =
              importer::run_import(st, decl.name, instance->type().raw(), instance->handle(), io);
        } catch (...) {
          fail_step(result, std::current_exception());
        }
        break;
      }
      case manifest::StepType::kExport: {
        try {
          if (!instance) instance = create_connector(decl);
          exporter::ExportStepOptions eo;
          // Staging mode is on when the manifest forces it or an admin set the store's flag;
          // the deletion threshold is the connector's setting in the store (idsync
          // deletion-threshold), so changing either needs no manifest reload.
          eo.staging_mode = manifest_.scheduler.staging_mode_enabled;
          exporter::apply_admin_settings(st, st.connector_id(decl.name), eo);
          eo.run_profile = profile.name;
          eo.batch_size = decl.export_batch_size;
          eo.allow_deletes_once = options.allow_deletes_once;
          eo.cancel = options.cancel;
          if (options.on_progress)
            eo.on_progress = [&](const exporter::ExportCounters& c) {
              options.on_progress(sr.step, exporter::run_counters(c));
            };
          result =
              exporter::run_export(st, decl.name, instance->type().raw(), instance->handle(), eo)
                  .to_step_result();
        } catch (...) {
          fail_step(result, std::current_exception());
        }
        break;
      }
      case manifest::StepType::kFullSync:
      case manifest::StepType::kDeltaSync: {
        // A stop request before the step starts runs none of it; during the step, it stops at
        // the next batch boundary (run_sync_step).
        if (options.cancel && options.cancel->load()) {
          result.status = "stopped-user";
          result.message = "stopped before " + sr.step + " started";
          break;
        }
        try {
          result = run_sync_step(
              st, rules(), decl.name,
              step.type == manifest::StepType::kFullSync ? sync::SyncKind::full
                                                         : sync::SyncKind::delta,
              decl.deprovisioning == manifest::Deprovisioning::kMakeDisconnector
                  ? sync::Deprovisioning::make_disconnector
                  : sync::Deprovisioning::delete_mv_when_last_authoritative_source_goes,
              options.cancel);
        } catch (...) {
          fail_step(result, std::current_exception());
        }
        break;
      }
    }
    sr.ended_unix_ms = now_ms();
    store::RunRecord record;
    record.connector = decl.name;
    record.profile = profile.name;
    record.step = sr.step;
    record.status = result.status;
    record.started_unix_ms = sr.started_unix_ms;
    record.ended_unix_ms = sr.ended_unix_ms;
    record.counters = result.counters;
    record.message = result.message;
    record.reason = options.reason;
    record.object_issues = result.object_issues;
    sr.run_id = history.append(record);
    const bool ok = result.ok();
    report.steps.push_back(std::move(sr));
    if (!ok) break;
  }
  return report;
}

}  // namespace idsync::runtime
