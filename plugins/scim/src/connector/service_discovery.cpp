#include "connector/service_discovery.hpp"

#include <algorithm>

#include "connector/scim_failure.hpp"
#include "discovery/resource_types.hpp"
#include "discovery/schema_defs.hpp"
#include "http/url.hpp"
#include "model/filter_text.hpp"
#include "model/json_access.hpp"

namespace idsync::scim {

namespace {

boost::json::value read_document(ScimClient& client, std::string_view path) {
  const http::HttpResponse response = client.get(path);
  if (response.status != 200) throw read_failure(response, "reading " + std::string(path));
  auto body = parse_json(response.body);
  if (!body)
    throw sdk::Error(IDSYNC_ERR_CONFIG, "reading " + std::string(path) +
                                            ": the answer is not JSON (is base_url the SCIM "
                                            "base URL?)");
  return std::move(*body);
}

bool probe_modified_filter(ScimClient& client, const ResourceModel& model, const sdk::Diag& diag) {
  const std::string path =
      model.type.endpoint + list_query(1, 1, modified_since_filter("1970-01-01T00:00:00Z"));
  const http::HttpResponse response = client.get(path);
  if (response.status == 200) return true;
  if (response.status != 400 && response.status != 403 && response.status != 501)
    diag.warn("probing a meta.lastModified filter on " + model.type.endpoint + " gave HTTP " +
              std::to_string(response.status) + "; delta import is off");
  return false;
}

}  // namespace

const ResourceModel* Discovery::model(std::string_view object_type) const {
  for (const ResourceModel& m : models)
    if (m.type.name == object_type) return &m;
  return nullptr;
}

std::string Discovery::summary() const {
  std::vector<std::string> parts;
  if (features.patch) parts.push_back("patch");
  if (features.bulk)
    parts.push_back("bulk (" + std::to_string(features.bulk_max_operations) + " operations, " +
                    std::to_string(features.bulk_max_payload) + " bytes)");
  if (features.filter)
    parts.push_back("filter" + (features.filter_max_results > 0
                                    ? " (max " + std::to_string(features.filter_max_results) + ")"
                                    : std::string()));
  if (features.etag) parts.push_back("etag");
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : ", ") + p;
  if (out.empty()) out = "no optional features";
  out += "; types";
  for (size_t i = 0; i < models.size(); ++i) out += (i ? ", " : " ") + models[i].type.name;
  out += modified_filter
             ? "; delta: lastModified filter (deletes are found by the next full import)"
             : "; delta: unsupported (use full imports)";
  return out;
}

Discovery discover(ScimClient& client, const Options& options, const sdk::Diag& diag) {
  Discovery out;
  out.features = parse_service_provider_config(read_document(client, "/ServiceProviderConfig"));
  const std::vector<ResourceType> types =
      parse_resource_types(read_document(client, "/ResourceTypes"));
  const std::vector<SchemaDef> schemas = parse_schemas(read_document(client, "/Schemas"));

  std::string offered;
  for (const ResourceType& type : types) {
    offered += (offered.empty() ? "" : ", ") + type.name;
    const bool wanted = options.object_types.empty() ||
                        std::find(options.object_types.begin(), options.object_types.end(),
                                  type.name) != options.object_types.end();
    if (wanted) out.models.push_back(flatten(type, schemas));
  }
  for (const std::string& wanted : options.object_types)
    if (!out.model(wanted))
      throw sdk::Error(IDSYNC_ERR_CONFIG,
                       "config.object_types: the service offers no resource "
                       "type \"" +
                           wanted + "\" (it offers: " + (offered.empty() ? "none" : offered) + ")");
  if (out.models.empty())
    throw sdk::Error(IDSYNC_ERR_CONFIG, "the service at " + client.base_url() +
                                            " lists no resource types under /ResourceTypes");
  out.modified_filter =
      out.features.filter && probe_modified_filter(client, out.models.front(), diag);
  return out;
}

std::string list_query(int64_t start_index, int64_t count, std::string_view filter) {
  std::string q = "?startIndex=" + std::to_string(start_index) + "&count=" + std::to_string(count);
  if (!filter.empty()) q += "&filter=" + http::percent_encode(filter);
  return q;
}

}  // namespace idsync::scim
