// The SDK connector class of type "msgraph": Microsoft Entra ID users and groups over
// Microsoft Graph v1.0. It owns the HTTP transport (one libcurl handle kept alive between
// requests), the token cache, the write pace and the Graph client; each hook hands them to the
// import or export it runs.
#pragma once

#include <idsync/sdk.hpp>
#include <memory>

#include "auth/client_credentials.hpp"
#include "graph/graph_client.hpp"
#include "graph_options.hpp"
#include "graph_schema.hpp"
#include "http/clock.hpp"
#include "http/curl_transport.hpp"
#include "http/write_pacer.hpp"

namespace idsync::msgraph {

class GraphConnector : public sdk::Connector {
 public:
  static sdk::ConnectorSpec spec();
  GraphConnector(const sdk::Config& config, const sdk::CreateContext& ctx);

  void test_connection() override;
  void schema(sdk::SchemaWriter& out) override;
  void full_import(const sdk::ImportRequest& request, sdk::ImportWriter& out) override;
  void delta_import(const sdk::ImportRequest& request, sdk::ImportWriter& out) override;
  std::string current_watermark() override;
  void export_batch(const std::vector<sdk::ExportOp>& ops, sdk::ExportResults& results) override;

 private:
  // Warns, at every step, that certificates are not checked, when so configured.
  GraphClient& client();

  Options options_;
  GraphSchema schema_;
  http::CurlTransport transport_;
  ClientCredentials credentials_;
  http::WritePacer pacer_;
  GraphClient graph_;
};

}  // namespace idsync::msgraph
