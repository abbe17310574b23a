// One connector instance, driven through the plugin's hooks exactly as the host calls them:
// host-owned request structs, recording sinks, a fresh diag per call.
#pragma once

#include <idsync/plugin_abi.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "contract/export_batch.hpp"
#include "contract/recording_bytes_sink.hpp"
#include "contract/recording_diag.hpp"
#include "contract/recording_export_results.hpp"
#include "contract/recording_import_sink.hpp"
#include "contract/recording_schema_sink.hpp"
#include "manifest/plugin_config.hpp"
#include "plugin_host/connector_type.hpp"

namespace idsync::contract {

class Instance;

struct CreateOutcome {
  idsync_status status = IDSYNC_ERROR;
  std::unique_ptr<Instance> instance;  // set when create() returned OK with a handle
  bool null_handle = false;            // create() returned OK but left *out_instance NULL
};

class Instance {
 public:
  static CreateOutcome create(const plugin_host::ConnectorType& type,
                              const manifest::ResolvedConfig& config,
                              const std::string& connector_name,
                              const std::vector<std::string>& object_types,
                              const std::filesystem::path& state_dir, RecordingDiag& diag);
  ~Instance();
  Instance(const Instance&) = delete;
  Instance& operator=(const Instance&) = delete;

  const plugin_host::ConnectorType& type() const { return type_; }

  // Hooks that the type does not provide (NULL) answer IDSYNC_UNSUPPORTED without a call;
  // callers check the capability first.
  idsync_status test_connection(RecordingDiag& diag);
  idsync_status get_schema(RecordingSchemaSink& sink, RecordingDiag& diag);
  // The page size is the sink's.
  idsync_status full_import(const std::string& checkpoint, RecordingImportSink& sink,
                            RecordingDiag& diag);
  idsync_status delta_import(const std::string& watermark, const std::string& checkpoint,
                             RecordingImportSink& sink, RecordingDiag& diag);
  idsync_status current_watermark(RecordingBytesSink& sink, RecordingDiag& diag);
  idsync_status export_batch(const ExportBatch& batch, RecordingExportResults& results,
                             RecordingDiag& diag);

 private:
  Instance(const plugin_host::ConnectorType& type, idsync_connector* handle)
      : type_(type), handle_(handle) {}

  const plugin_host::ConnectorType& type_;
  idsync_connector* handle_;
};

}  // namespace idsync::contract
