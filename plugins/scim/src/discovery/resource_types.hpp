// The resource types a service provider offers (RFC 7643 section 6, /ResourceTypes): the
// connector's object types.
#pragma once

#include <boost/json.hpp>
#include <string>
#include <vector>

namespace idsync::scim {

struct SchemaExtensionRef {
  std::string schema;  // URN, e.g. "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
  bool required = false;
};

struct ResourceType {
  std::string name;      // "User", "Group", "Contact": the object type's name
  std::string endpoint;  // "/Users", always with a leading slash
  std::string schema;    // core schema URN
  std::vector<SchemaExtensionRef> extensions;
};

// Accepts a ListResponse ({"Resources":[...]}) or a bare array. Entries without a name,
// endpoint or schema are left out.
std::vector<ResourceType> parse_resource_types(const boost::json::value& body);

}  // namespace idsync::scim
