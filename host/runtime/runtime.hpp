// The host assembled from a manifest: its plugins, its store and its connectors. The CLI and
// the daemon both work through this.
#pragma once

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "importer/import_step.hpp"
#include "manifest/manifest.hpp"
#include "manifest/plugin_config.hpp"
#include "plugin_host/registry.hpp"
#include "runtime/connector_instance.hpp"
#include "runtime/loaded_rules.hpp"
#include "store/store.hpp"
#include "sync_rules/rules_error.hpp"

namespace idsync::runtime {

struct StepReport {
  std::string step;  // full_import, ...
  importer::StepResult result;
  int64_t started_unix_ms = 0;
  int64_t ended_unix_ms = 0;
  uint64_t run_id = 0;  // in the run history
};

struct ProfileReport {
  std::string connector;
  std::string profile;
  std::vector<StepReport> steps;
  bool ok() const;
};

struct RunOptions {
  const std::atomic<bool>* cancel = nullptr;
  // Export steps: send deletes even above the deletion threshold (the admin checked them).
  bool allow_deletes_once = false;
  // Why the steps run as they do, for the run history (scheduler/cycle_plan.hpp); may be empty.
  std::string reason;
  // Called after each committed page with the step's totals so far.
  std::function<void(const std::string& step, const store::ImportCounters&)> on_progress;
};

class Runtime {
 public:
  // Loads the manifest (throws manifest::ManifestError) and discovers plugins from the shipped
  // plugin folder and the manifest's plugin_dirs. Opens nothing else.
  explicit Runtime(const std::filesystem::path& manifest_file);

  const manifest::Manifest& manifest() const { return manifest_; }
  const plugin_host::Registry& registry() const { return registry_; }
  std::vector<std::filesystem::path> plugin_dirs() const;

  // Checks every connector against its plugin: the type exists, config resolves. Problems
  // carry JSON paths.
  std::vector<manifest::Diagnostic> check_connectors() const;

  // The sync rules, loaded from the manifest's rules folder on first use (throws
  // sync_rules::RulesError, and again on every call until the rules are fixed).
  const LoadedRules& rules();
  // The rules when they were loaded already, else null; never loads them (the daemon reads them
  // beside a job that may be loading them).
  const LoadedRules* loaded_rules() const { return rules_ ? &*rules_ : nullptr; }
  // Every problem of the sync rules; empty when they load.
  std::vector<sync_rules::RuleDiagnostic> check_rules();

  // Opens the store on first use (throws store::StoreError).
  store::Store& store();
  // The open store, to hand to the Runtime of a reloaded manifest (the daemon's SIGHUP): both
  // then use the one open store. Opens it first when needed.
  std::shared_ptr<store::Store> shared_store();
  void use_store(std::shared_ptr<store::Store> store) { store_ = std::move(store); }
  // A read-only view of the store that works beside a running writer.
  std::unique_ptr<store::Store> open_store_read_only() const;

  // Resolves config and creates the connector's instance (throws manifest::ManifestError,
  // ConnectorCreateError).
  std::unique_ptr<ConnectorInstance> create_connector(const manifest::ConnectorDecl& decl) const;

  // Runs a run profile's steps in order, stopping at the first that does not succeed. Every
  // step is recorded in the run history.
  ProfileReport run_profile(const manifest::ConnectorDecl& decl,
                            const manifest::RunProfile& profile, const RunOptions& options);

  std::filesystem::path state_dir(const manifest::ConnectorDecl& decl) const;

 private:
  manifest::ResolvedConfig resolve(const manifest::ConnectorDecl& decl,
                                   std::vector<manifest::Diagnostic>& problems) const;

  manifest::Manifest manifest_;
  plugin_host::Registry registry_;
  std::shared_ptr<store::Store> store_;
  std::optional<LoadedRules> rules_;
};

}  // namespace idsync::runtime
