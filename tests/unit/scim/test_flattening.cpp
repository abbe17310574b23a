#include <catch2/catch.hpp>

#include "fixtures.hpp"
#include "model/resource_values.hpp"

using namespace idsync::scim;

namespace {

const FlatAttribute& attr(const ResourceModel& m, std::string_view name) {
  const FlatAttribute* a = m.find(name);
  INFO(name);
  REQUIRE(a);
  return *a;
}

std::vector<std::string> names(const ResourceModel& m) {
  std::vector<std::string> out;
  for (const auto& a : m.attributes) out.push_back(a.name);
  return out;
}

}  // namespace

TEST_CASE("flattening: user attribute names", "[flatten]") {
  const ResourceModel user = test::model("User");
  CHECK(names(user) == std::vector<std::string>{"id",
                                                "externalId",
                                                "meta.created",
                                                "meta.lastModified",
                                                "userName",
                                                "name.givenName",
                                                "name.familyName",
                                                "active",
                                                "password",
                                                "emails.work",
                                                "emails.home",
                                                "phoneNumbers.work",
                                                "phoneNumbers.mobile",
                                                "addresses.work.locality",
                                                "addresses.work.postalCode",
                                                "groups",
                                                "profileUrl",
                                                "x509Certificates",
                                                "enterprise.department",
                                                "enterprise.manager"});
}

TEST_CASE("flattening: types and flags", "[flatten]") {
  const ResourceModel user = test::model("User");
  CHECK(attr(user, "id").flags == IDSYNC_ATTRINFO_READONLY);
  CHECK(attr(user, "externalId").flags == 0);
  CHECK(attr(user, "meta.lastModified").value_type == IDSYNC_VALUE_DATETIME);
  CHECK(attr(user, "userName").flags == IDSYNC_ATTRINFO_REQUIRED);
  CHECK(attr(user, "active").value_type == IDSYNC_VALUE_BOOLEAN);
  CHECK(attr(user, "password").flags == IDSYNC_ATTRINFO_SECRET);
  CHECK(attr(user, "groups").value_type == IDSYNC_VALUE_REFERENCE);
  CHECK(attr(user, "groups").flags == (IDSYNC_ATTRINFO_READONLY | IDSYNC_ATTRINFO_MULTIVALUED));
  CHECK(attr(user, "profileUrl").value_type == IDSYNC_VALUE_STRING);  // an external URL
  CHECK(attr(user, "x509Certificates").value_type == IDSYNC_VALUE_BINARY);
  CHECK(attr(user, "enterprise.manager").value_type == IDSYNC_VALUE_REFERENCE);
  CHECK(attr(user, "enterprise.manager").shape == Shape::kSingleRef);
  CHECK(attr(user, "emails.work").shape == Shape::kTyped);

  const ResourceModel group = test::model("Group");
  const FlatAttribute& members = attr(group, "members");
  CHECK(members.shape == Shape::kValueList);  // despite its `type` sub-attribute
  CHECK(members.value_type == IDSYNC_VALUE_REFERENCE);
  CHECK(members.flags == IDSYNC_ATTRINFO_MULTIVALUED);
}

TEST_CASE("flattening: PATCH paths", "[flatten]") {
  const ResourceModel user = test::model("User");
  CHECK(attr(user, "name.givenName").patch_path() == "name.givenName");
  CHECK(attr(user, "emails.work").patch_path() == R"(emails[type eq "work"].value)");
  CHECK(attr(user, "addresses.work.locality").patch_path() ==
        R"(addresses[type eq "work"].locality)");
  CHECK(attr(user, "enterprise.department").patch_path() ==
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department");
}

TEST_CASE("flattening: extension short names", "[flatten]") {
  CHECK(extension_short_name(
            {"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", "X", {}}) ==
        "enterprise");
  CHECK(extension_short_name({"urn:example:params:Mail", "MailBox", {}}) == "mailbox");
  CHECK(extension_short_name({"urn:example:params:Mail", "", {}}) == "mail");
}

TEST_CASE("flattening: reading a resource", "[flatten]") {
  const ResourceModel user = test::model("User");
  const auto resource = boost::json::parse(R"({
    "id":"u1","userName":"ada","active":false,
    "name":{"givenName":"Ada","familyName":"Lovelace"},
    "emails":[{"value":"ada@home.example","type":"home"},
              {"value":"old@work.example","type":"work"},
              {"value":"ada@work.example","type":"work","primary":true}],
    "addresses":[{"type":"work","locality":"London"}],
    "groups":[{"value":"g1"},{"value":"g2"}],
    "x509Certificates":[{"value":"AAEC"}],
    "meta":{"lastModified":"2024-05-01T12:00:00Z"},
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":
      {"department":"Engines","manager":{"value":"u0","displayName":"Babbage"}}})")
                            .get_object();
  auto values = [&](std::string_view name) { return read_values(resource, attr(user, name)); };
  using V = std::vector<std::string>;
  CHECK(values("id") == V{"u1"});
  CHECK(values("active") == V{"false"});
  CHECK(values("name.familyName") == V{"Lovelace"});
  CHECK(values("emails.work") == V{"ada@work.example"});  // the primary one
  CHECK(values("emails.home") == V{"ada@home.example"});
  CHECK(values("phoneNumbers.mobile").empty());
  CHECK(values("addresses.work.locality") == V{"London"});
  CHECK(values("groups") == V{"g1", "g2"});
  CHECK(values("x509Certificates") == V{std::string("\x00\x01\x02", 3)});
  CHECK(values("meta.lastModified") == V{"2024-05-01T12:00:00Z"});
  CHECK(values("enterprise.department") == V{"Engines"});
  CHECK(values("enterprise.manager") == V{"u0"});
}

TEST_CASE("flattening: writing a resource", "[flatten]") {
  const ResourceModel user = test::model("User");
  boost::json::object r{
      {"schemas", boost::json::array{"urn:ietf:params:scim:schemas:core:2.0:User"}}};
  auto set = [&](std::string_view name, std::vector<std::string_view> values,
                 idsync_attr_op op = IDSYNC_ATTR_REPLACE) {
    apply_values(r, attr(user, name), op, values);
  };
  set("userName", {"ada"});
  set("active", {"true"});
  set("name.givenName", {"Ada"});
  set("emails.work", {"ada@work.example"});
  set("addresses.work.locality", {"London"});
  set("addresses.work.postalCode", {"N1"});
  set("enterprise.manager", {"u0"});
  set("enterprise.department", {"Engines"});
  CHECK(boost::json::value(r) == boost::json::parse(R"({
    "schemas":["urn:ietf:params:scim:schemas:core:2.0:User",
               "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
    "userName":"ada","active":true,"name":{"givenName":"Ada"},
    "emails":[{"type":"work","value":"ada@work.example"}],
    "addresses":[{"type":"work","locality":"London","postalCode":"N1"}],
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":
      {"manager":{"value":"u0"},"department":"Engines"}})"));

  set("emails.work", {});
  CHECK(read_values(r, attr(user, "emails.work")).empty());
  CHECK_THROWS_WITH(set("active", {"yes"}),
                    Catch::Contains("active") && Catch::Contains("true or false"));
}

TEST_CASE("flattening: value lists add and remove value by value", "[flatten]") {
  const ResourceModel group = test::model("Group");
  const FlatAttribute& members = attr(group, "members");
  boost::json::object r;
  apply_values(r, members, IDSYNC_ATTR_ADD, {"u1", "u2"});
  apply_values(r, members, IDSYNC_ATTR_ADD, {"u2", "u3"});
  apply_values(r, members, IDSYNC_ATTR_REMOVE, {"u1"});
  CHECK(read_values(r, members) == std::vector<std::string>{"u2", "u3"});
  apply_values(r, members, IDSYNC_ATTR_REPLACE, {"u9"});
  CHECK(read_values(r, members) == std::vector<std::string>{"u9"});
}
