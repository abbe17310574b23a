#include "discovery/service_config.hpp"

#include "model/json_access.hpp"

namespace idsync::scim {

namespace {

bool supported(const boost::json::value& body, std::string_view feature) {
  const auto* f = member(body, feature);
  return f != nullptr && bool_member(*f, "supported", false);
}

int64_t limit(const boost::json::value& body, std::string_view feature, std::string_view name) {
  const auto* f = member(body, feature);
  if (f == nullptr) return 0;
  return int_member(*f, name).value_or(0);
}

}  // namespace

ServiceFeatures parse_service_provider_config(const boost::json::value& body) {
  ServiceFeatures out;
  out.patch = supported(body, "patch");
  out.bulk = supported(body, "bulk");
  out.bulk_max_operations = limit(body, "bulk", "maxOperations");
  out.bulk_max_payload = limit(body, "bulk", "maxPayloadSize");
  out.filter = supported(body, "filter");
  out.filter_max_results = limit(body, "filter", "maxResults");
  out.etag = supported(body, "etag");
  out.sort = supported(body, "sort");
  // RFC 7643 requires maxOperations with bulk; without a positive one the connector cannot
  // size a request and sends single requests instead.
  if (out.bulk_max_operations <= 0) out.bulk = false;
  return out;
}

}  // namespace idsync::scim
