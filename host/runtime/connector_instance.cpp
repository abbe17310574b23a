#include "runtime/connector_instance.hpp"

#include <idsync/sdk.hpp>
#include <vector>

#include "common/diag_collector.hpp"

namespace idsync::runtime {

std::unique_ptr<ConnectorInstance> ConnectorInstance::create(
    const manifest::ConnectorDecl& decl, const plugin_host::ConnectorType& type,
    const manifest::ResolvedConfig& config, const std::filesystem::path& state_dir) {
  std::error_code ec;
  std::filesystem::create_directories(state_dir, ec);
  if (ec)
    throw ConnectorCreateError("connector " + decl.name + ": cannot create its state folder " +
                                   state_dir.string() + ": " + ec.message(),
                               IDSYNC_ERR_CONFIG);
  std::vector<idsync_str> object_types;
  for (const auto& t : decl.object_types) object_types.push_back({t.data(), t.size()});
  const std::string state = state_dir.string();
  idsync_create_params params{sizeof(idsync_create_params), {decl.name.data(), decl.name.size()},
                              config.values().data(),       config.values().size(),
                              object_types.data(),          object_types.size(),
                              {state.data(), state.size()}};
  common::DiagCollector diag(decl.name);
  idsync_connector* handle = nullptr;
  const idsync_status st = type.raw().create(&params, diag.diag(), &handle);
  if (st != IDSYNC_OK || handle == nullptr) {
    std::string why =
        diag.has_error() ? diag.error_message() : "create returned " + sdk::status_name(st);
    throw ConnectorCreateError("connector " + decl.name + " (type " + type.id() + "): " + why,
                               diag.has_error() ? diag.error_kind() : IDSYNC_ERR_INTERNAL);
  }
  return std::unique_ptr<ConnectorInstance>(new ConnectorInstance(decl.name, type, handle));
}

ConnectorInstance::~ConnectorInstance() { type_.raw().destroy(handle_); }

}  // namespace idsync::runtime
