#include "runtime/sync_cycle.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "scheduler/connector_overrides.hpp"
#include "scheduler/cycle_plan.hpp"
#include "scheduler/scheduler_record.hpp"
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

namespace {

using TimePoint = std::chrono::system_clock::time_point;

scheduler::ConnectorFacts facts_of(store::Store& store, const manifest::ConnectorDecl& decl) {
  scheduler::ConnectorFacts f;
  const auto id = store.find_connector_id(decl.name);
  if (!id) return f;
  const store::ProgressRecords progress(store, *id);
  f.has_watermark = progress.watermark().has_value();
  if (const auto ms = progress.last_import_completed_unix_ms())
    f.last_import_completed = TimePoint(std::chrono::milliseconds(*ms));
  f.overrides = scheduler::read_connector_override(store, *id, decl.name);
  return f;
}

// What a finished step leaves for the next cycle (see the header).
void after_step(store::Store& store, const manifest::ConnectorDecl& decl, StepType type,
                const StepReport& report) {
  const bool ok = report.result.ok();
  if ((type == StepType::kFullImport || type == StepType::kFullSync) && ok) {
    const uint32_t id = store.connector_id(decl.name);
    scheduler::ConnectorOverride o = scheduler::read_connector_override(store, id, decl.name);
    bool& flag = type == StepType::kFullImport ? o.full_import_required : o.full_sync_required;
    if (flag) {
      flag = false;
      scheduler::write_connector_override(store, id, o);
    }
  }
  if (type == StepType::kDeltaImport && report.result.status == "stopped-precondition") {
    spdlog::warn(
        "[{}] the source refused the delta import's watermark; the next cycle runs a "
        "full import",
        decl.name);
    scheduler::require_full_import(store, decl.name,
                                   "the source rejected the watermark: " + report.result.message);
  }
}

}  // namespace

CycleReport run_sync_cycle(Runtime& runtime, manifest::SyncCyclePolicy policy,
                           const RunOptions& options, TimePoint now, const CycleStepFn& on_step) {
  CycleReport report;
  report.policy = policy;
  const bool initial = policy == manifest::SyncCyclePolicy::kInitial;
  const std::string profile_name = initial ? "Initial sync cycle" : "Delta sync cycle";
  store::Store& store = runtime.store();
  const auto started = std::chrono::steady_clock::now();

  scheduler::SchedulerRecord record = scheduler::read_scheduler_record(store);
  record.last_cycle_started = now;
  scheduler::write_scheduler_record(store, record);

  const auto plan = scheduler::plan_cycle(
      runtime.manifest(), cycle_order(runtime.manifest()), policy,
      [&](const manifest::ConnectorDecl& d) { return facts_of(store, d); }, now);
  for (std::size_t i = 0; i < plan.size(); ++i) {
    const scheduler::PlannedStep& planned = plan[i];
    if (options.cancel && options.cancel->load()) {
      report.cancelled = true;
      break;
    }
    StepType type = planned.type;
    std::string reason = planned.reason;
    // A delta import planned after an import that failed has no watermark to start from.
    if (type == StepType::kDeltaImport) {
      const auto id = store.find_connector_id(planned.connector->name);
      if (!id || !store::ProgressRecords(store, *id).watermark()) {
        type = StepType::kFullImport;
        reason = "no watermark yet: the first import of a connector is a full import";
      }
    }
    manifest::RunProfile profile;
    profile.name = profile_name;
    manifest::RunStep step;
    step.type = type;
    profile.steps.push_back(step);
    if (on_step) on_step(planned.connector->name, manifest::to_string(type), i, plan.size());
    RunOptions step_options = options;
    step_options.reason = reason;
    report.runs.push_back(runtime.run_profile(*planned.connector, profile, step_options));
    if (!report.runs.back().steps.empty())
      after_step(store, *planned.connector, type, report.runs.back().steps.back());
  }

  record = scheduler::read_scheduler_record(store);
  // Measured from `now`, so that an injected start time gives a consistent end.
  record.last_cycle_ended = now + std::chrono::duration_cast<TimePoint::duration>(
                                      std::chrono::steady_clock::now() - started);
  if (initial && !report.cancelled)
    record.next_sync_cycle_policy_type = {true, manifest::SyncCyclePolicy::kDelta};
  scheduler::write_scheduler_record(store, record);
  return report;
}

}  // namespace idsync::runtime
