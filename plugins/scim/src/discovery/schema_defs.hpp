// Schema definitions (RFC 7643 section 7, /Schemas): the attributes of each core and
// extension schema, with their types, plurality and mutability.
#pragma once

#include <boost/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace idsync::scim {

struct AttributeDef {
  std::string name;
  std::string type = "string";  // string, boolean, decimal, integer, dateTime, reference,
                                // binary, complex
  bool multi_valued = false;
  bool required = false;
  std::string mutability = "readWrite";  // readOnly, readWrite, immutable, writeOnly
  std::vector<std::string> canonical_values;
  std::vector<std::string> reference_types;  // "User", "Group", "external", "uri", ...
  std::vector<AttributeDef> sub_attributes;

  // The sub-attribute called `sub` (case-insensitive), or nullptr.
  const AttributeDef* sub_attribute(std::string_view sub) const;
};

struct SchemaDef {
  std::string id;    // URN
  std::string name;  // "User", "EnterpriseUser"
  std::vector<AttributeDef> attributes;
};

// Accepts a ListResponse, a bare array or a single schema object. Schemas without an id and
// attributes without a name are left out; missing characteristics take RFC 7643's defaults.
std::vector<SchemaDef> parse_schemas(const boost::json::value& body);

// The schema with URN `id` (case-insensitive), or nullptr.
const SchemaDef* find_schema(const std::vector<SchemaDef>& schemas, std::string_view id);

}  // namespace idsync::scim
