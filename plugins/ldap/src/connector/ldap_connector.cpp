#include "ldap_connector.hpp"

#include "connection_test.hpp"
#include "delta_sources.hpp"
#include "exporter.hpp"
#include "full_import.hpp"

namespace idsync::ldap {

uint32_t LdapConnector::capabilities() {
  return IDSYNC_CAP_FULL_IMPORT | IDSYNC_CAP_DELTA_IMPORT | IDSYNC_CAP_CURRENT_WATERMARK |
         IDSYNC_CAP_EXPORT | IDSYNC_CAP_TEST_CONNECTION;
}

sdk::ConnectorSpec AdConnector::spec() {
  return {"ldap.ad", "Active Directory",
          "An Active Directory domain over LDAP: paged and ranged full import, DirSync (or "
          "uSNChanged) delta import with tombstones, export with rename, move, unicodePwd and "
          "userAccountControl.",
          capabilities(), config_fields(DirectoryKind::active_directory)};
}

sdk::ConnectorSpec GenericLdapConnector::spec() {
  return {"ldap.generic", "LDAP directory",
          "An LDAPv3 directory (OpenLDAP and others): paged full import, RFC 4533 content-sync "
          "delta import, export with rename, move and userPassword.",
          capabilities(), config_fields(DirectoryKind::generic)};
}

LdapConnector::LdapConnector(DirectoryKind kind, const sdk::Config& config,
                             const sdk::CreateContext& ctx)
    : state_dir_(ctx.state_dir), session_(read_options(kind, config, ctx)) {
  delta_ = make_delta_source(session_, state_dir_);
}

DirectorySession& LdapConnector::session() {
  session_.set_diag(&diag());
  return session_;
}

void LdapConnector::test_connection() { check_connection(session(), *delta_); }

void LdapConnector::schema(sdk::SchemaWriter& out) { session().schema().write(out); }

void LdapConnector::full_import(const sdk::ImportRequest& request, sdk::ImportWriter& out) {
  run_full_import(session(), *delta_, request, out);
}

void LdapConnector::delta_import(const sdk::ImportRequest& request, sdk::ImportWriter& out) {
  session();
  delta_->delta_import(request, out);
}

std::string LdapConnector::current_watermark() {
  session();
  return delta_->current_watermark();
}

void LdapConnector::export_batch(const std::vector<sdk::ExportOp>& ops,
                                 sdk::ExportResults& results) {
  run_export(session(), ops, results);
}

}  // namespace idsync::ldap
