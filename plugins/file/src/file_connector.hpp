// The file connector: a CSV, LDIF or JSON Lines file as a connected system.
//
//   full_import     streams `path` in pages; checkpoints resume after the last committed page
//   delta_import    snapshot mode: the difference with the last import's snapshot;
//                   change_file mode: the records appended to `change_file` since the watermark
//   export_batch    export_mode rewrite: applies operations to `export_file`, replaced atomically;
//                   export_mode append: appends them to `change_file` as change records, which
//                   the next full import first folds into `path` (change_fold.hpp)
//   schema, test_connection, current_watermark
//
// See plugins/file/README.md for the configuration, checkpoint and watermark formats.
#pragma once

#include <functional>
#include <idsync/sdk.hpp>
#include <optional>

#include "connector_options.hpp"
#include "exporter.hpp"
#include "import_support.hpp"
#include "schema_discovery.hpp"

namespace idsync::file {

class FileConnector : public sdk::Connector {
 public:
  static sdk::ConnectorSpec spec();

  FileConnector(const sdk::Config& config, const sdk::CreateContext& context);

  void test_connection() override;
  void schema(sdk::SchemaWriter& out) override;
  void full_import(const sdk::ImportRequest& request, sdk::ImportWriter& out) override;
  void delta_import(const sdk::ImportRequest& request, sdk::ImportWriter& out) override;
  std::string current_watermark() override;
  void export_batch(const std::vector<sdk::ExportOp>& ops, sdk::ExportResults& results) override;

  const ConnectorOptions& options() const { return o_; }

 private:
  void delta_from_snapshot(const sdk::ImportRequest& request, sdk::ImportWriter& out);
  void delta_from_change_file(const sdk::ImportRequest& request, sdk::ImportWriter& out);
  ChangeFileMark change_file_end() const;
  // Cuts back an export file whose append a crash interrupted (append_journal.hpp).
  void recover_interrupted_export();
  // The discovered schema of `file` (LDIF/JSONL attributes and types; any format: object
  // types), read once per file version and kept, in memory and in the state folder
  // (schema_cache.hpp).
  const DiscoveredSchema& discovered(const InputFile& file, const std::function<void()>& poll = {});
  // The types imports coerce to: the discovered schema for LDIF and JSONL, none for CSV (whose
  // values are all text).
  const DiscoveredSchema* import_types(const InputFile& file, sdk::ImportWriter& out);
  // Where large temporary data (anchors) may go: the state folder, else $TMPDIR.
  const std::string& scratch_dir() const { return o_.state_dir; }

  ConnectorOptions o_;
  std::string connector_name_;
  std::optional<std::pair<FileIdentity, DiscoveredSchema>> discovered_;
  ExportIndex export_index_;  // between the batches of an export (exporter.hpp)
};

}  // namespace idsync::file
