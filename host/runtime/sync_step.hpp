// A full_sync or delta_sync step of a run profile: inbound sync of one connector into the
// metaverse, then outbound sync of every MV object that changed, as a run-history step result.
#pragma once

#include <atomic>
#include <string>

#include "importer/import_step.hpp"
#include "runtime/loaded_rules.hpp"
#include "store/store.hpp"
#include "sync/options.hpp"

namespace idsync::runtime {

// Runs sync::InboundSync for `connector`, then sync::OutboundSync over the marked MV objects
// (the ones this step changed, and any an earlier interrupted step left), and maps their
// results: status success, or completed-sync-errors when objects were skipped for errors or
// join errors (the message names the first few; object_issues lists them); counters objects,
// projections, joins, disconnectors, flow_updates, errors, and export_adds / export_updates /
// export_deletes for the pending exports outbound sync provisioned, changed or deprovisioned.
// Store failures throw store::StoreError.
// `deprovisioning` is the connector's choice for disconnected objects (manifest
// "deprovisioning").
// A set `cancel` stops the step at its next batch boundary with status stopped-user; what it
// committed stays and the next sync resumes from there.
importer::StepResult run_sync_step(store::Store& store, const LoadedRules& rules,
                                   const std::string& connector, sync::SyncKind kind,
                                   sync::Deprovisioning deprovisioning,
                                   const std::atomic<bool>* cancel = nullptr);

}  // namespace idsync::runtime
