// What a service provider says it can do (RFC 7643 section 5, /ServiceProviderConfig), reduced
// to what the connector adapts to.
#pragma once

#include <boost/json.hpp>
#include <cstdint>

namespace idsync::scim {

struct ServiceFeatures {
  bool patch = false;
  bool bulk = false;
  int64_t bulk_max_operations = 0;  // > 0 whenever bulk is true
  int64_t bulk_max_payload = 0;     // bytes; 0: no limit given
  bool filter = false;
  int64_t filter_max_results = 0;  // 0: no limit given
  bool etag = false;
  bool sort = false;
};

// Tolerant: a missing or malformed feature counts as not supported (the connector then takes
// the plainer way: PUT, single requests, no If-Match, no delta).
ServiceFeatures parse_service_provider_config(const boost::json::value& body);

}  // namespace idsync::scim
