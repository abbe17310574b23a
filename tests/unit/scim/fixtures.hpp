// Discovery documents as a SCIM service provider returns them (trimmed to what the tests need),
// and the models flattened from them.
#pragma once

#include <boost/json.hpp>

#include "discovery/resource_types.hpp"
#include "discovery/schema_defs.hpp"
#include "model/flat_attribute.hpp"

namespace idsync::scim::test {

inline const char* kSchemas = R"({"Resources":[
 {"id":"urn:ietf:params:scim:schemas:core:2.0:User","name":"User","attributes":[
  {"name":"userName","type":"string","multiValued":false,"required":true,"mutability":"readWrite"},
  {"name":"name","type":"complex","multiValued":false,"subAttributes":[
    {"name":"givenName","type":"string"},{"name":"familyName","type":"string"}]},
  {"name":"active","type":"boolean"},
  {"name":"password","type":"string","mutability":"writeOnly"},
  {"name":"emails","type":"complex","multiValued":true,"subAttributes":[
    {"name":"value","type":"string"},{"name":"display","type":"string"},
    {"name":"type","type":"string","canonicalValues":["work","home"]},
    {"name":"primary","type":"boolean"}]},
  {"name":"phoneNumbers","type":"complex","multiValued":true,"subAttributes":[
    {"name":"value","type":"string"},
    {"name":"type","type":"string","canonicalValues":["work","mobile"]}]},
  {"name":"addresses","type":"complex","multiValued":true,"subAttributes":[
    {"name":"locality","type":"string"},{"name":"postalCode","type":"string"},
    {"name":"type","type":"string","canonicalValues":["work"]}]},
  {"name":"groups","type":"complex","multiValued":true,"mutability":"readOnly","subAttributes":[
    {"name":"value","type":"string"},
    {"name":"$ref","type":"reference","referenceTypes":["User","Group"]}]},
  {"name":"profileUrl","type":"reference","referenceTypes":["external"]},
  {"name":"x509Certificates","type":"complex","multiValued":true,"subAttributes":[
    {"name":"value","type":"binary"}]}]},
 {"id":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User","name":"EnterpriseUser",
  "attributes":[
  {"name":"department","type":"string"},
  {"name":"manager","type":"complex","subAttributes":[
    {"name":"value","type":"string"},
    {"name":"$ref","type":"reference","referenceTypes":["User"]},
    {"name":"displayName","type":"string","mutability":"readOnly"}]}]},
 {"id":"urn:ietf:params:scim:schemas:core:2.0:Group","name":"Group","attributes":[
  {"name":"displayName","type":"string","required":true},
  {"name":"members","type":"complex","multiValued":true,"subAttributes":[
    {"name":"value","type":"string","mutability":"immutable"},
    {"name":"$ref","type":"reference","referenceTypes":["User","Group"]},
    {"name":"type","type":"string","canonicalValues":["User","Group"]}]}]}
]})";

inline const char* kResourceTypes = R"({"totalResults":2,"Resources":[
 {"id":"User","name":"User","endpoint":"/Users",
  "schema":"urn:ietf:params:scim:schemas:core:2.0:User",
  "schemaExtensions":[{"schema":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
                       "required":false}]},
 {"name":"Group","endpoint":"Groups","schema":"urn:ietf:params:scim:schemas:core:2.0:Group"}]})";

inline ResourceModel model(std::string_view name) {
  const auto types = parse_resource_types(boost::json::parse(kResourceTypes));
  const auto schemas = parse_schemas(boost::json::parse(kSchemas));
  for (const ResourceType& t : types)
    if (t.name == name) return flatten(t, schemas);
  return {};
}

}  // namespace idsync::scim::test
