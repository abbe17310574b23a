#include "graph_connector.hpp"

#include "connection_check.hpp"
#include "graph_exporter.hpp"
#include "graph_import.hpp"

namespace idsync::msgraph {

namespace {

ClientCredentialsSettings credentials_of(const Options& o) {
  ClientCredentialsSettings s;
  s.authority = o.authority;
  s.tenant = o.tenant;
  s.client_id = o.client_id;
  s.client_secret = o.client_secret;
  s.certificate_pem = o.certificate_pem;
  s.private_key_pem = o.private_key_pem;
  s.scope = o.scope;
  return s;
}

GraphClientSettings client_settings(const Options& o) {
  GraphClientSettings s;
  s.graph_base = o.graph_base;
  s.retry = o.retry;
  s.max_page_size = static_cast<int>(o.page_size);
  return s;
}

}  // namespace

sdk::ConnectorSpec GraphConnector::spec() {
  return {"msgraph", "Microsoft Entra ID (Microsoft Graph)",
          "Users and groups of a Microsoft Entra ID tenant over Microsoft Graph v1.0: full and "
          "delta import (/delta with members@delta), export in $batch rounds with membership "
          "by reference, hard and soft matching, Retry-After and a write pace.",
          IDSYNC_CAP_FULL_IMPORT | IDSYNC_CAP_DELTA_IMPORT | IDSYNC_CAP_CURRENT_WATERMARK |
              IDSYNC_CAP_EXPORT | IDSYNC_CAP_TEST_CONNECTION,
          config_fields()};
}

GraphConnector::GraphConnector(const sdk::Config& config, const sdk::CreateContext& ctx)
    : options_(read_options(config, ctx)),
      schema_(options_),
      transport_(options_.http),
      credentials_(transport_, http::system_clock(), credentials_of(options_), options_.retry),
      pacer_(options_.writes_per_interval, std::chrono::seconds(options_.write_interval_seconds),
             http::system_clock()),
      graph_(transport_, credentials_, pacer_, http::system_clock(), client_settings(options_)) {}

GraphClient& GraphConnector::client() {
  if (!options_.http.tls_verify)
    diag().warn("tls_verify is false: the certificates of " + options_.authority + " and " +
                options_.graph_base + " are not checked");
  return graph_;
}

void GraphConnector::test_connection() { check_connection(client(), schema_, diag()); }

void GraphConnector::schema(sdk::SchemaWriter& out) { schema_.write(out); }

void GraphConnector::full_import(const sdk::ImportRequest& request, sdk::ImportWriter& out) {
  run_full_import(client(), schema_, options_, request, out);
}

void GraphConnector::delta_import(const sdk::ImportRequest& request, sdk::ImportWriter& out) {
  run_delta_import(client(), schema_, options_, request, out);
}

std::string GraphConnector::current_watermark() {
  return latest_watermark(client(), schema_).encode();
}

void GraphConnector::export_batch(const std::vector<sdk::ExportOp>& ops,
                                  sdk::ExportResults& results) {
  run_export(client(), schema_, options_, ops, results, diag());
}

}  // namespace idsync::msgraph
