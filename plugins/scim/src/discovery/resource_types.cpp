#include "discovery/resource_types.hpp"

#include "model/json_access.hpp"

namespace idsync::scim {

namespace {

// The entries of a ListResponse, or of a bare array.
const boost::json::array* entries(const boost::json::value& body) {
  if (body.is_array()) return &body.get_array();
  const auto* resources = member(body, "Resources");
  return resources && resources->is_array() ? &resources->get_array() : nullptr;
}

}  // namespace

std::vector<ResourceType> parse_resource_types(const boost::json::value& body) {
  std::vector<ResourceType> out;
  const auto* list = entries(body);
  if (!list) return out;
  for (const auto& entry : *list) {
    ResourceType type;
    type.name = string_member(entry, "name").value_or("");
    type.endpoint = string_member(entry, "endpoint").value_or("");
    type.schema = string_member(entry, "schema").value_or("");
    if (type.name.empty() || type.endpoint.empty() || type.schema.empty()) continue;
    if (type.endpoint.front() != '/') type.endpoint = std::string("/").append(type.endpoint);
    if (const auto* extensions = member(entry, "schemaExtensions");
        extensions && extensions->is_array())
      for (const auto& e : extensions->get_array())
        if (auto schema = string_member(e, "schema"))
          type.extensions.push_back({*schema, bool_member(e, "required", false)});
    out.push_back(std::move(type));
  }
  return out;
}

}  // namespace idsync::scim
