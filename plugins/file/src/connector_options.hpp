// The connector's configuration: the declared fields (with docs and defaults, which the host
// validates and applies) and their interpretation, with the cross-field checks the host cannot
// do. Errors are IDSYNC_ERR_CONFIG naming the field.
#pragma once

#include <idsync/sdk.hpp>
#include <string>
#include <vector>

#include "format_options.hpp"

namespace idsync::file {

enum class DeltaMode { snapshot, change_file };
// rewrite: export_file stands for the target and each batch rewrites it; append: each batch is
// appended to change_file as change records, and a full import folds them into path.
enum class ExportMode { rewrite, append };

struct ConnectorOptions {
  FormatOptions format;
  std::string path;
  DeltaMode delta_mode = DeltaMode::snapshot;
  std::string change_file;
  std::string export_file;
  ExportMode export_mode = ExportMode::rewrite;
  std::string state_dir;
  std::vector<std::string> selected_types;  // from the manifest; empty: all

  static ConnectorOptions from(const sdk::Config& config, const sdk::CreateContext& context);

  bool selected(std::string_view object_type) const;

  // A hash of every setting that decides which objects and values an import produces. Stored
  // in snapshots, watermarks and checkpoints: state made under other settings is refused.
  uint64_t fingerprint() const;
};

std::vector<sdk::FieldSpec> config_fields();

}  // namespace idsync::file
