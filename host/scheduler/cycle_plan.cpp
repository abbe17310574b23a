#include "scheduler/cycle_plan.hpp"

#include <map>

namespace idsync::scheduler {

using manifest::CycleStage;
using manifest::StepType;

namespace {

std::string age_in_days(std::chrono::system_clock::duration age) {
  const auto days = std::chrono::duration_cast<std::chrono::hours>(age).count() / 24;
  return std::to_string(days) + (days == 1 ? " day" : " days");
}

PlannedStep plan_step(const manifest::ConnectorDecl& decl, CycleStage stage, bool initial,
                      const ConnectorFacts& f, TimePoint now) {
  PlannedStep step;
  step.connector = &decl;
  switch (stage) {
    case CycleStage::kImport:
      step.type = initial ? StepType::kFullImport : StepType::kDeltaImport;
      if (initial) break;
      step.type = StepType::kFullImport;
      if (f.overrides.full_import_required) {
        step.reason = "FullImportRequired: " + f.overrides.full_import_reason;
      } else if (!f.has_watermark) {
        step.reason = "no watermark yet: the first import of a connector is a full import";
      } else if (f.last_import_completed && now - *f.last_import_completed > kWatermarkMaxAge) {
        step.reason = "the last import completed " + age_in_days(now - *f.last_import_completed) +
                      " ago; a watermark older than 7 days may have expired at the source";
      } else {
        step.type = StepType::kDeltaImport;
      }
      break;
    case CycleStage::kSync:
      step.type = initial ? StepType::kFullSync : StepType::kDeltaSync;
      if (!initial && f.overrides.full_sync_required) {
        step.type = StepType::kFullSync;
        step.reason = "FullSyncRequired: " + f.overrides.full_sync_reason;
      }
      break;
    case CycleStage::kExport:
      step.type = StepType::kExport;
      break;
  }
  return step;
}

}  // namespace

std::vector<PlannedStep> plan_cycle(
    const manifest::Manifest& manifest, const std::vector<const manifest::ConnectorDecl*>& order,
    manifest::SyncCyclePolicy policy,
    const std::function<ConnectorFacts(const manifest::ConnectorDecl&)>& facts, TimePoint now) {
  const bool initial = policy == manifest::SyncCyclePolicy::kInitial;
  // Facts are read once per connector, before anything runs: a sequence that imports a
  // connector twice (OLSync's confirming import) plans both from the same facts, and the
  // second is a delta import whenever the first could be.
  std::map<const manifest::ConnectorDecl*, ConnectorFacts> known;
  auto facts_of = [&](const manifest::ConnectorDecl& d) -> const ConnectorFacts& {
    auto it = known.find(&d);
    if (it == known.end()) it = known.emplace(&d, facts(d)).first;
    return it->second;
  };

  std::vector<PlannedStep> plan;
  if (!manifest.scheduler.cycle_sequence.empty()) {
    std::map<std::pair<const manifest::ConnectorDecl*, CycleStage>, bool> planned;
    for (const manifest::CycleStep& s : manifest.scheduler.cycle_sequence) {
      const manifest::ConnectorDecl* decl = manifest.find_connector(s.connector);
      if (!decl) continue;  // the loader checked the names
      PlannedStep step = plan_step(*decl, s.stage, initial, facts_of(*decl), now);
      // A connector imported twice: the second import follows the first, which leaves a
      // fresh watermark, so it is a delta import unless the cycle is an Initial one.
      if (!planned.emplace(std::pair{decl, s.stage}, true).second && !initial &&
          s.stage == CycleStage::kImport) {
        step.type = StepType::kDeltaImport;
        step.reason.clear();
      }
      plan.push_back(std::move(step));
    }
    return plan;
  }
  using manifest::ConnectorLocation;
  for (CycleStage stage : {CycleStage::kImport, CycleStage::kSync, CycleStage::kExport}) {
    // Imports and syncs: on premises, then cloud; exports: cloud, then on premises.
    const ConnectorLocation first =
        stage == CycleStage::kExport ? ConnectorLocation::kCloud : ConnectorLocation::kOnPremises;
    for (bool first_group : {true, false})
      for (const manifest::ConnectorDecl* decl : order)
        if ((decl->location == first) == first_group)
          plan.push_back(plan_step(*decl, stage, initial, facts_of(*decl), now));
  }
  return plan;
}

}  // namespace idsync::scheduler
