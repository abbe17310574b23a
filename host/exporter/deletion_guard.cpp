#include "exporter/deletion_guard.hpp"

#include <cstdio>

#include "store/codec.hpp"
#include "store/pending_export.hpp"
#include "store/prefix_scan.hpp"

namespace idsync::exporter {

PendingCounts count_pending(const store::Store& store, uint32_t connector_id,
                            std::string_view after) {
  PendingCounts c;
  store::PendingExport pe;
  auto visit = [&](std::string_view, std::string_view value) {
    store::decode_pending_export(value, pe);
    ++c.total;
    if (pe.attempts > 0) ++c.retries;
    switch (pe.kind) {
      case store::ExportKind::add:
        ++c.adds;
        break;
      case store::ExportKind::update:
        ++c.updates;
        break;
      case store::ExportKind::remove:
        ++c.deletes;
        break;
      case store::ExportKind::remove_add:
        ++c.delete_adds;
        break;
    }
    return true;
  };
  const std::string prefix = store::connector_prefix(connector_id);
  if (after.empty())
    store::scan_prefix(store, store::Family::pending_export, prefix, visit);
  else
    store::scan_prefix_after(store, store::Family::pending_export, prefix, after, visit);
  return c;
}

std::optional<std::string> deletion_threshold_exceeded(uint64_t deletes, uint64_t space_objects,
                                                       const ExportStepOptions& options) {
  if (options.allow_deletes_once || deletes == 0) return std::nullopt;
  const std::string how =
      "; nothing was exported. Check the deletes (idsync pending-exports), then allow them "
      "once (allow_deletes_once, the CLI's --allow-deletes) or raise the threshold";
  if (deletes > options.deletion_threshold)
    return std::to_string(deletes) + " pending deletes exceed the deletion threshold of " +
           std::to_string(options.deletion_threshold) + how;
  if (options.deletion_threshold_percent && space_objects > 0) {
    const double percent =
        100.0 * static_cast<double>(deletes) / static_cast<double>(space_objects);
    if (percent > *options.deletion_threshold_percent) {
      char text[64];
      std::snprintf(text, sizeof text, "%.1f%% of %llu objects", percent,
                    static_cast<unsigned long long>(space_objects));
      char limit[32];
      std::snprintf(limit, sizeof limit, "%g%%", *options.deletion_threshold_percent);
      return std::to_string(deletes) + " pending deletes (" + text +
             ") exceed the deletion threshold of " + limit + " of the connector space" + how;
    }
  }
  return std::nullopt;
}

}  // namespace idsync::exporter
