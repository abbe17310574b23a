// Accidental-delete protection, decided before anything is sent (like Entra Connect's export
// deletion threshold): an export that would delete more objects than the threshold (a count, or
// a percentage of the connector space instead) sends nothing until an admin allows it once,
// raises the threshold or disables it. A delete-add is not counted: the object exists again
// afterwards.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "exporter/export_options.hpp"
#include "store/store.hpp"

namespace idsync::exporter {

// What the pending exports of a connector after `after` (an anchor; empty: all) would do.
struct PendingCounts {
  uint64_t total = 0;
  uint64_t adds = 0;
  uint64_t updates = 0;
  uint64_t deletes = 0;
  uint64_t delete_adds = 0;
  uint64_t retries = 0;  // with a failed attempt behind them
};
PendingCounts count_pending(const store::Store& store, uint32_t connector_id,
                            std::string_view after);

// Whether `deletes` exceed the threshold of `options` (`space_objects`: the connector space's
// size, used only for a percentage threshold). Never when the threshold is disabled or there is
// nothing to delete. allow_deletes_once is not considered: the caller decides what an allowed
// excess does.
bool exceeds_deletion_threshold(uint64_t deletes, uint64_t space_objects,
                                const ExportStepOptions& options);

// The run history's message for an export stopped by the threshold. It tells the admin what to
// do: how many deletes against which threshold, and the commands to inspect the deletes, let
// them through once (naming options.run_profile) or raise the threshold for `connector_name`.
std::string deletion_threshold_message(uint64_t deletes, uint64_t space_objects,
                                       const ExportStepOptions& options,
                                       std::string_view connector_name);

}  // namespace idsync::exporter
