#include "runtime/sync_cycle.hpp"

#include "store/import_progress.hpp"

namespace idsync::runtime {

using manifest::StepType;

bool CycleReport::ok() const {
  for (const ProfileReport& r : runs)
    for (const StepReport& s : r.steps)
      if (!s.result.ok()) return false;
  return !cancelled;
}

std::vector<const manifest::ConnectorDecl*> cycle_order(const manifest::Manifest& manifest) {
  std::vector<const manifest::ConnectorDecl*> out;
  if (manifest.scheduler.connector_order.empty()) {
    for (const auto& c : manifest.connectors) out.push_back(&c);
    return out;
  }
  // The manifest loader checked that every name exists, at most once; connectors not named
  // run after the named ones, in declaration order.
  for (const auto& name : manifest.scheduler.connector_order)
    if (const auto* c = manifest.find_connector(name)) out.push_back(c);
  for (const auto& c : manifest.connectors)
    if (std::find(out.begin(), out.end(), &c) == out.end()) out.push_back(&c);
  return out;
}

CycleReport run_sync_cycle(Runtime& runtime, manifest::SyncCyclePolicy policy,
                           const RunOptions& options) {
  CycleReport report;
  report.policy = policy;
  const bool initial = policy == manifest::SyncCyclePolicy::kInitial;
  const std::string profile_name = initial ? "Initial sync cycle" : "Delta sync cycle";
  const auto order = cycle_order(runtime.manifest());
  store::Store& store = runtime.store();

  auto import_step = [&](const manifest::ConnectorDecl& decl) {
    if (initial) return StepType::kFullImport;
    const auto id = store.find_connector_id(decl.name);
    const bool has_watermark = id && store::ProgressRecords(store, *id).watermark();
    return has_watermark ? StepType::kDeltaImport : StepType::kFullImport;
  };
  const StepType sync_step = initial ? StepType::kFullSync : StepType::kDeltaSync;

  for (int stage = 0; stage < 3; ++stage) {
    for (const manifest::ConnectorDecl* decl : order) {
      if (options.cancel && options.cancel->load()) {
        report.cancelled = true;
        return report;
      }
      manifest::RunProfile profile;
      profile.name = profile_name;
      manifest::RunStep step;
      step.type = stage == 0 ? import_step(*decl) : stage == 1 ? sync_step : StepType::kExport;
      profile.steps.push_back(step);
      report.runs.push_back(runtime.run_profile(*decl, profile, options));
    }
  }
  return report;
}

}  // namespace idsync::runtime
