#include "contract/instance.hpp"

#include "contract/text.hpp"

namespace idsync::contract {

CreateOutcome Instance::create(const plugin_host::ConnectorType& type,
                               const manifest::ResolvedConfig& config,
                               const std::string& connector_name,
                               const std::vector<std::string>& object_types,
                               const std::filesystem::path& state_dir, RecordingDiag& diag) {
  std::vector<idsync_str> types;
  for (const std::string& t : object_types) types.push_back(str(t));
  const std::string state = state_dir.string();
  const idsync_create_params params{sizeof(idsync_create_params),
                                    str(connector_name),
                                    config.values().data(),
                                    config.values().size(),
                                    types.data(),
                                    types.size(),
                                    str(state)};
  idsync_connector* handle = nullptr;
  CreateOutcome out;
  out.status = type.raw().create(&params, diag.get(), &handle);
  // On failure the host ignores *out_instance: there is nothing it could safely destroy.
  if (out.status == IDSYNC_OK) {
    if (handle == nullptr)
      out.null_handle = true;
    else
      out.instance.reset(new Instance(type, handle));
  }
  return out;
}

Instance::~Instance() { type_.raw().destroy(handle_); }

idsync_status Instance::test_connection(RecordingDiag& diag) {
  const auto hook = type_.raw().test_connection;
  return hook ? hook(handle_, diag.get()) : IDSYNC_UNSUPPORTED;
}

idsync_status Instance::get_schema(RecordingSchemaSink& sink, RecordingDiag& diag) {
  return type_.raw().get_schema(handle_, sink.get(), diag.get());
}

idsync_status Instance::full_import(const std::string& checkpoint, RecordingImportSink& sink,
                                    RecordingDiag& diag) {
  const idsync_import_request request{sizeof(idsync_import_request), bytes(checkpoint),
                                      idsync_bytes{nullptr, 0}, sink.options().page_size};
  return type_.raw().full_import(handle_, &request, sink.get(), diag.get());
}

idsync_status Instance::delta_import(const std::string& watermark, const std::string& checkpoint,
                                     RecordingImportSink& sink, RecordingDiag& diag) {
  const auto hook = type_.raw().delta_import;
  if (!hook) return IDSYNC_UNSUPPORTED;
  const idsync_import_request request{sizeof(idsync_import_request), bytes(checkpoint),
                                      bytes(watermark), sink.options().page_size};
  return hook(handle_, &request, sink.get(), diag.get());
}

idsync_status Instance::current_watermark(RecordingBytesSink& sink, RecordingDiag& diag) {
  const auto hook = type_.raw().current_watermark;
  return hook ? hook(handle_, sink.get(), diag.get()) : IDSYNC_UNSUPPORTED;
}

idsync_status Instance::export_batch(const ExportBatch& batch, RecordingExportResults& results,
                                     RecordingDiag& diag) {
  const auto hook = type_.raw().export_batch;
  return hook ? hook(handle_, batch.get(), results.get(), diag.get()) : IDSYNC_UNSUPPORTED;
}

}  // namespace idsync::contract
