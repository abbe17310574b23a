// A full_sync or delta_sync step of a run profile: inbound sync of one connector into the
// metaverse, as a run-history step result.
#pragma once

#include <string>

#include "importer/import_step.hpp"
#include "runtime/loaded_rules.hpp"
#include "store/store.hpp"
#include "sync/options.hpp"

namespace idsync::runtime {

// Runs sync::InboundSync for `connector` and maps its result: status success, or
// completed-sync-errors when objects were skipped for errors or join errors (the message names
// the first few with their anchors); counters objects, projections, joins, disconnectors,
// flow_updates and errors. Store failures throw store::StoreError.
importer::StepResult run_sync_step(store::Store& store, const LoadedRules& rules,
                                   const std::string& connector, sync::SyncKind kind);

}  // namespace idsync::runtime
