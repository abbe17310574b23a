// Accidental-delete protection, decided before anything is sent (like Entra Connect's export
// deletion threshold): an export that would delete more objects than the threshold (a count,
// and optionally a percentage of the connector space) sends nothing until an admin allows it
// once. A delete-add is not counted: the object exists again afterwards.
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

// The message for the run history when `deletes` exceeds a threshold in `options`
// (`space_objects`: the connector space's size, for the percentage); nullopt when the
// deletes may go (including when options.allow_deletes_once is set).
std::optional<std::string> deletion_threshold_exceeded(uint64_t deletes, uint64_t space_objects,
                                                       const ExportStepOptions& options);

}  // namespace idsync::exporter
