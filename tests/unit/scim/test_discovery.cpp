#include <catch2/catch.hpp>

#include "discovery/resource_types.hpp"
#include "discovery/schema_defs.hpp"
#include "discovery/service_config.hpp"
#include "fixtures.hpp"

using namespace idsync::scim;

TEST_CASE("service provider config: features and limits", "[discovery]") {
  const auto f = parse_service_provider_config(boost::json::parse(R"({
    "patch":{"supported":true},
    "bulk":{"supported":true,"maxOperations":50,"maxPayloadSize":1048576},
    "filter":{"supported":true,"maxResults":200},
    "etag":{"supported":"true"},
    "sort":{"supported":false}})"));
  CHECK(f.patch);
  CHECK(f.bulk);
  CHECK(f.bulk_max_operations == 50);
  CHECK(f.bulk_max_payload == 1048576);
  CHECK(f.filter);
  CHECK(f.filter_max_results == 200);
  CHECK(f.etag);
  CHECK_FALSE(f.sort);
}

TEST_CASE("service provider config: missing or unusable features are off", "[discovery]") {
  const auto f = parse_service_provider_config(
      boost::json::parse(R"({"bulk":{"supported":true},"PATCH":{"supported":true}})"));
  CHECK(f.patch);       // attribute names are case-insensitive
  CHECK_FALSE(f.bulk);  // no maxOperations: cannot size a request
  CHECK_FALSE(f.filter);
  CHECK_FALSE(f.etag);
  CHECK_FALSE(parse_service_provider_config(boost::json::parse("[]")).patch);
}

TEST_CASE("resource types: endpoints, schemas and extensions", "[discovery]") {
  const auto types = parse_resource_types(boost::json::parse(test::kResourceTypes));
  REQUIRE(types.size() == 2);
  CHECK(types[0].name == "User");
  CHECK(types[0].endpoint == "/Users");
  REQUIRE(types[0].extensions.size() == 1);
  CHECK(types[0].extensions[0].schema ==
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User");
  CHECK(types[1].endpoint == "/Groups");  // a leading slash is added
  CHECK(parse_resource_types(boost::json::parse(R"([{"name":"X"}])")).empty());
}

TEST_CASE("schemas: attributes with RFC 7643 defaults", "[discovery]") {
  const auto schemas = parse_schemas(boost::json::parse(test::kSchemas));
  REQUIRE(schemas.size() == 3);
  const SchemaDef* user = find_schema(schemas, "URN:ietf:params:scim:schemas:core:2.0:User");
  REQUIRE(user);
  CHECK(user->attributes.front().name == "userName");
  CHECK(user->attributes.front().required);
  const AttributeDef& name = user->attributes[1];
  CHECK(name.type == "complex");
  REQUIRE(name.sub_attribute("GIVENNAME"));
  CHECK(name.sub_attribute("givenName")->mutability == "readWrite");
  CHECK(parse_schemas(boost::json::parse(R"({"id":"urn:x","attributes":[]})")).size() == 1);
}
