// The SDK connector classes of connector types "ldap.ad" and "ldap.generic". They differ in
// their configuration fields and in their delta source; everything else is shared.
#pragma once

#include <idsync/sdk.hpp>
#include <memory>

#include "delta_source.hpp"
#include "directory_session.hpp"

namespace idsync::ldap {

class LdapConnector : public sdk::Connector {
 public:
  LdapConnector(DirectoryKind kind, const sdk::Config& config, const sdk::CreateContext& ctx);

  void test_connection() override;
  void schema(sdk::SchemaWriter& out) override;
  void full_import(const sdk::ImportRequest& request, sdk::ImportWriter& out) override;
  void delta_import(const sdk::ImportRequest& request, sdk::ImportWriter& out) override;
  std::string current_watermark() override;
  void export_batch(const std::vector<sdk::ExportOp>& ops, sdk::ExportResults& results) override;

 protected:
  static uint32_t capabilities();

 private:
  // Points the session at the diagnostics of the hook in progress.
  DirectorySession& session();

  std::string state_dir_;
  DirectorySession session_;
  std::unique_ptr<DeltaSource> delta_;
};

class AdConnector : public LdapConnector {
 public:
  static sdk::ConnectorSpec spec();
  AdConnector(const sdk::Config& config, const sdk::CreateContext& ctx)
      : LdapConnector(DirectoryKind::active_directory, config, ctx) {}
};

class GenericLdapConnector : public LdapConnector {
 public:
  static sdk::ConnectorSpec spec();
  GenericLdapConnector(const sdk::Config& config, const sdk::CreateContext& ctx)
      : LdapConnector(DirectoryKind::generic, config, ctx) {}
};

}  // namespace idsync::ldap
