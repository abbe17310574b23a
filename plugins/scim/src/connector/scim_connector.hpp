// The SDK connector class of type "scim": users, groups and other resource types of a SCIM 2.0
// service provider. It owns the HTTP transport (one libcurl handle kept alive between
// requests), the token, the write pace and the client, and what discovery learned, which it
// reads once, at the first hook that needs it (create() must not contact the service).
#pragma once

#include <idsync/sdk.hpp>
#include <memory>
#include <optional>

#include "client/bearer_token.hpp"
#include "client/scim_client.hpp"
#include "connector/scim_options.hpp"
#include "connector/service_discovery.hpp"
#include "http/curl_transport.hpp"
#include "http/write_pacer.hpp"

namespace idsync::scim {

class ScimConnector : public sdk::Connector {
 public:
  static sdk::ConnectorSpec spec();
  ScimConnector(const sdk::Config& config, const sdk::CreateContext& ctx);

  void test_connection() override;
  void schema(sdk::SchemaWriter& out) override;
  void full_import(const sdk::ImportRequest& request, sdk::ImportWriter& out) override;
  void delta_import(const sdk::ImportRequest& request, sdk::ImportWriter& out) override;
  std::string current_watermark() override;
  void export_batch(const std::vector<sdk::ExportOp>& ops, sdk::ExportResults& results) override;

 private:
  // Warns, at every step, that certificates are not checked, when so configured.
  ScimClient& client();
  const Discovery& discovery();

  Options options_;
  http::CurlTransport transport_;
  std::unique_ptr<BearerToken> token_;
  http::WritePacer pacer_;
  ScimClient client_;
  std::optional<Discovery> discovery_;
};

}  // namespace idsync::scim
