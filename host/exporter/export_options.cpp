#include "exporter/export_options.hpp"

namespace idsync::exporter {

void apply_deletion_threshold(const store::DeletionThreshold& threshold,
                              ExportStepOptions& options) {
  options.deletion_threshold_enabled = threshold.enabled;
  options.deletion_threshold = threshold.count;
  options.deletion_threshold_percent.reset();
  if (threshold.percent) options.deletion_threshold_percent = *threshold.percent;
}

void apply_admin_settings(const store::Store& store, uint32_t connector_id,
                          ExportStepOptions& options) {
  apply_deletion_threshold(store::read_deletion_threshold(store, connector_id), options);
  if (store::read_staging_mode(store)) options.staging_mode = true;
}

}  // namespace idsync::exporter
