// A live connector: the plugin's instance created from the manifest's validated config.
// Destroys the instance when it goes out of scope.
#pragma once

#include <idsync/plugin_abi.h>

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

#include "manifest/manifest.hpp"
#include "manifest/plugin_config.hpp"
#include "plugin_host/connector_type.hpp"

namespace idsync::runtime {

// create() failed: the message names the connector and what the plugin reported.
class ConnectorCreateError : public std::runtime_error {
 public:
  ConnectorCreateError(std::string message, idsync_error_kind kind)
      : std::runtime_error(std::move(message)), kind_(kind) {}
  idsync_error_kind kind() const { return kind_; }

 private:
  idsync_error_kind kind_;
};

class ConnectorInstance {
 public:
  // `config` must have been resolved without problems. `state_dir` is created if missing.
  static std::unique_ptr<ConnectorInstance> create(const manifest::ConnectorDecl& decl,
                                                   const plugin_host::ConnectorType& type,
                                                   const manifest::ResolvedConfig& config,
                                                   const std::filesystem::path& state_dir);
  ~ConnectorInstance();
  ConnectorInstance(const ConnectorInstance&) = delete;
  ConnectorInstance& operator=(const ConnectorInstance&) = delete;

  const std::string& name() const { return name_; }
  const plugin_host::ConnectorType& type() const { return type_; }
  idsync_connector* handle() const { return handle_; }

 private:
  ConnectorInstance(std::string name, const plugin_host::ConnectorType& type,
                    idsync_connector* handle)
      : name_(std::move(name)), type_(type), handle_(handle) {}

  std::string name_;
  const plugin_host::ConnectorType& type_;
  idsync_connector* handle_;
};

}  // namespace idsync::runtime
