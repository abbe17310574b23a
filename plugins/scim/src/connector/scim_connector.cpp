#include "connector/scim_connector.hpp"

#include "client/oauth_token.hpp"
#include "connector/scim_exporter.hpp"
#include "connector/scim_import.hpp"

namespace idsync::scim {

namespace {

std::unique_ptr<BearerToken> make_token(const Options& o, http::HttpTransport& transport) {
  if (o.uses_oauth())
    return std::make_unique<OAuthToken>(transport, http::system_clock(), o.oauth, o.retry);
  return std::make_unique<StaticBearerToken>(o.token);
}

ScimClientSettings client_settings(const Options& o) {
  return ScimClientSettings{o.base_url, o.retry};
}

}  // namespace

sdk::ConnectorSpec ScimConnector::spec() {
  return {"scim", "SCIM 2.0 service provider",
          "Users, groups and other resource types of a SCIM 2.0 service (RFC 7643/7644), as "
          "its /ResourceTypes and /Schemas describe them: full import, delta import by "
          "meta.lastModified filter, export with value-level PATCH, ETags and Bulk, matching "
          "of existing resources, Retry-After and a write pace.",
          IDSYNC_CAP_FULL_IMPORT | IDSYNC_CAP_DELTA_IMPORT | IDSYNC_CAP_CURRENT_WATERMARK |
              IDSYNC_CAP_EXPORT | IDSYNC_CAP_TEST_CONNECTION,
          config_fields()};
}

ScimConnector::ScimConnector(const sdk::Config& config, const sdk::CreateContext& ctx)
    : options_(read_options(config, ctx)),
      transport_(options_.http),
      token_(make_token(options_, transport_)),
      pacer_(options_.writes_per_interval, std::chrono::seconds(options_.write_interval_seconds),
             http::system_clock()),
      client_(transport_, *token_, pacer_, http::system_clock(), client_settings(options_)) {}

ScimClient& ScimConnector::client() {
  if (!options_.http.tls_verify)
    diag().warn("tls_verify is false: the certificate of " + options_.base_url +
                (options_.uses_oauth() ? " and of " + options_.oauth.token_url : std::string()) +
                " is not checked");
  return client_;
}

const Discovery& ScimConnector::discovery() {
  if (!discovery_) {
    discovery_ = discover(client(), options_, diag());
    diag().info("SCIM service " + options_.base_url + ": " + discovery_->summary());
  }
  return *discovery_;
}

void ScimConnector::test_connection() {
  discovery_.reset();  // a test reads everything anew
  const Discovery& d = discovery();
  // One page of each type proves the token may read them.
  for (const ResourceModel& m : d.models) {
    const http::HttpResponse r = client_.get(m.type.endpoint + list_query(1, 1));
    if (r.status != 200)
      throw sdk::Error(
          r.status == 401 || r.status == 403 ? IDSYNC_ERR_PERMISSION : IDSYNC_ERR_CONFIG,
          "reading " + m.type.endpoint + " gave HTTP " + std::to_string(r.status));
  }
}

void ScimConnector::schema(sdk::SchemaWriter& out) {
  for (const ResourceModel& m : discovery().models) {
    std::vector<sdk::AttrSpec> attributes;
    for (const FlatAttribute& a : m.attributes)
      attributes.push_back(sdk::AttrSpec{a.name, a.value_type, a.flags});
    out.object_type(m.type.name, "id", attributes);
  }
}

void ScimConnector::full_import(const sdk::ImportRequest& request, sdk::ImportWriter& out) {
  const Discovery& d = discovery();
  run_full_import(client(), d, options_, request, out, diag());
}

void ScimConnector::delta_import(const sdk::ImportRequest& request, sdk::ImportWriter& out) {
  const Discovery& d = discovery();
  run_delta_import(client(), d, options_, request, out, diag());
}

std::string ScimConnector::current_watermark() {
  const Discovery& d = discovery();
  if (!d.modified_filter)
    throw sdk::Error(IDSYNC_ERR_NONE,
                     "the service cannot filter on meta.lastModified: there is no delta import "
                     "to start from now; schedule full imports",
                     IDSYNC_UNSUPPORTED);
  return scim::current_watermark(client(), d);
}

void ScimConnector::export_batch(const std::vector<sdk::ExportOp>& ops,
                                 sdk::ExportResults& results) {
  const Discovery& d = discovery();
  run_export(client(), d, options_, ops, results, diag());
}

}  // namespace idsync::scim
