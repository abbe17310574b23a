// A whole sync cycle, as Entra Connect's scheduler runs one (Start-ADSyncSyncCycle): imports on
// every connector, then syncs on every connector, then exports on every connector, each stage
// in the manifest's connector order (scheduler.connector_order, else declaration order).
//
//   Initial: full_import, full_sync, export
//   Delta:   delta_import (full_import for a connector that has never completed an import:
//            there is no watermark to start from), delta_sync, export
//
// Each step is one run-history record, under the run profile name "Initial sync cycle" or
// "Delta sync cycle". A step that does not succeed does not stop the cycle: the other
// connectors' steps still run (one unreachable system must not hold up the others), and
// that connector's later steps run too (its sync works on what is staged; its export
// retries what is pending). A stop request (RunOptions::cancel) ends the cycle after the step
// that sees it.
#pragma once

#include <string>
#include <vector>

#include "manifest/manifest.hpp"
#include "runtime/runtime.hpp"

namespace idsync::runtime {

struct CycleReport {
  manifest::SyncCyclePolicy policy = manifest::SyncCyclePolicy::kDelta;
  std::vector<ProfileReport> runs;  // one per connector and stage, in the order they ran
  bool cancelled = false;
  // Every step succeeded (or completed with warnings or sync errors).
  bool ok() const;
};

// The connectors in the order a cycle runs them.
std::vector<const manifest::ConnectorDecl*> cycle_order(const manifest::Manifest& manifest);

// Runs the cycle in this process. Store failures throw store::StoreError.
CycleReport run_sync_cycle(Runtime& runtime, manifest::SyncCyclePolicy policy,
                           const RunOptions& options);

}  // namespace idsync::runtime
