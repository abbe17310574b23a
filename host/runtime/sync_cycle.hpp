// A whole sync cycle, as Entra Connect's scheduler runs one (Start-ADSyncSyncCycle): imports on
// every connector, then syncs on every connector, then exports on every connector, each stage
// in the manifest's connector order (scheduler.connector_order, else declaration order), or
// the manifest's explicit cycle_sequence. Which steps are delta and which full, and why:
// scheduler/cycle_plan.hpp.
//
// Each step is one run-history record, under the run profile name "Initial sync cycle" or
// "Delta sync cycle", with the plan's reason when a Delta cycle runs a full step. A step that
// does not succeed does not stop the cycle: the other connectors' steps still run (one
// unreachable system must not hold up the others), and that connector's later steps run too
// (its sync works on what is staged; its export retries what is pending). A stop request
// (RunOptions::cancel) ends the cycle after the step that sees it.
//
// What a cycle leaves for the next one, in the store:
//   - a successful full import or full sync clears the connector's FullImportRequired or
//     FullSyncRequired override;
//   - a delta import that the source refused for its watermark (stopped-precondition) sets
//     FullImportRequired, so the next cycle reads the source whole;
//   - an Initial cycle that ran to its end sets NextSyncCyclePolicyType back to Delta;
//   - the cycle's start and end times, from which the scheduler derives the next start.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "manifest/manifest.hpp"
#include "runtime/runtime.hpp"

namespace idsync::runtime {

struct CycleReport {
  manifest::SyncCyclePolicy policy = manifest::SyncCyclePolicy::kDelta;
  std::vector<ProfileReport> runs;  // one per planned step, in the order they ran
  bool cancelled = false;
  // Every step succeeded (or completed with warnings or sync errors).
  bool ok() const;
};

// The connectors in the order a cycle runs them.
std::vector<const manifest::ConnectorDecl*> cycle_order(const manifest::Manifest& manifest);

// Called before each step with its connector, step type and 0-based index of `total`.
using CycleStepFn = std::function<void(const std::string& connector, const std::string& step,
                                       std::size_t index, std::size_t total)>;

// Runs the cycle in this process. `now` is the time the plan is made at (the 7-day rule).
// Store failures throw store::StoreError.
CycleReport run_sync_cycle(
    Runtime& runtime, manifest::SyncCyclePolicy policy, const RunOptions& options,
    std::chrono::system_clock::time_point now = std::chrono::system_clock::now(),
    const CycleStepFn& on_step = {});

}  // namespace idsync::runtime
