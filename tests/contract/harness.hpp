// What a test that needs a live connector starts from: its own copy of the connector config's
// folder (so that nothing the connector writes reaches the source tree), the config resolved by
// the host's resolve_config against that copy, and fresh private state folders.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "contract/connector_config.hpp"
#include "contract/instance.hpp"
#include "contract/recording_schema_sink.hpp"
#include "manifest/manifest.hpp"
#include "manifest/plugin_config.hpp"
#include "plugin_host/connector_type.hpp"
#include "support/temp_dir.hpp"

namespace idsync::contract {

class Harness {
 public:
  // nullptr after a WARN saying what to pass when no connector config was given: the test is
  // skipped. Fails the test (REQUIRE) when the plugin did not load, the config file cannot be
  // used, names a type the plugin lacks, or does not resolve against the type's fields.
  static std::unique_ptr<Harness> open(const std::string& test);

  Harness(const Harness&) = delete;
  Harness& operator=(const Harness&) = delete;

  const plugin_host::ConnectorType& type() const { return *type_; }
  bool can(uint32_t capability) const { return type_->can(capability); }
  const ConnectorConfigFile& spec() const { return spec_; }
  const manifest::ConnectorDecl& decl() const { return decl_; }
  const manifest::ResolvedConfig& config() const { return config_; }
  // The copy of the config's folder that relative paths resolved against.
  const std::filesystem::path& data_dir() const { return data_dir_; }
  // PATH fields whose resolved value lies outside data_dir(): the kit did not copy what they
  // point at, so a test that exports may change it.
  std::vector<std::string> paths_outside_copy() const;

  // A new empty private folder (0700) for one instance's state_dir.
  std::filesystem::path new_state_dir();
  // REQUIREs that create() with the resolved config succeeds.
  std::unique_ptr<Instance> create(const std::filesystem::path& state_dir);
  std::unique_ptr<Instance> create() { return create(new_state_dir()); }
  // REQUIREs that get_schema succeeds without breaches.
  std::vector<SchemaObjectType> schema(Instance& instance);

  // Resolves another decl (e.g. a deliberately broken one) against this type's fields; the
  // problems are returned, not asserted.
  manifest::ResolvedConfig resolve(const manifest::ConnectorDecl& decl,
                                   std::vector<manifest::Diagnostic>& problems) const;

 private:
  Harness() = default;

  testing::TempDir temp_;
  const plugin_host::ConnectorType* type_ = nullptr;
  ConnectorConfigFile spec_;
  manifest::ConnectorDecl decl_;
  manifest::ResolvedConfig config_;
  std::filesystem::path data_dir_;
  int state_dirs_ = 0;
};

}  // namespace idsync::contract
