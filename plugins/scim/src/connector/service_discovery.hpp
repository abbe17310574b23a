// What the connector learns from the service before it reads or writes anything:
// /ServiceProviderConfig, /ResourceTypes and /Schemas, plus a probe of whether the service
// filters on meta.lastModified (which the delta import needs). Read once per connector
// instance, at the first hook that needs it.
#pragma once

#include <idsync/sdk.hpp>
#include <string_view>
#include <vector>

#include "client/scim_client.hpp"
#include "connector/scim_options.hpp"
#include "discovery/service_config.hpp"
#include "model/flat_attribute.hpp"

namespace idsync::scim {

struct Discovery {
  ServiceFeatures features;
  std::vector<ResourceModel> models;  // the object types, narrowed by the configuration
  bool modified_filter = false;       // "meta.lastModified gt …" is accepted

  const ResourceModel* model(std::string_view object_type) const;
  // One line for the log: "patch, bulk (100 operations, 1048576 bytes), filter (max 200),
  // etag; types User, Group; delta: lastModified filter".
  std::string summary() const;
};

// Throws sdk::Error when a document cannot be read (read_failure), when the service offers
// none of the configured object types (IDSYNC_ERR_CONFIG, naming what it offers), or when an
// answer is not JSON.
Discovery discover(ScimClient& client, const Options& options, const sdk::Diag& diag);

// The query string of a list request: "?startIndex=1&count=100[&filter=…]".
std::string list_query(int64_t start_index, int64_t count, std::string_view filter = {});

}  // namespace idsync::scim
