#include <catch2/catch.hpp>

#include "fixtures.hpp"
#include "model/patch_builder.hpp"

using namespace idsync::scim;

namespace {

boost::json::value patch_of(
    const ResourceModel& m,
    std::vector<std::tuple<std::string, idsync_attr_op, std::vector<std::string_view>>> changes,
    const boost::json::object* current = nullptr) {
  std::vector<AttributeChange> list;
  for (auto& [name, op, values] : changes) {
    const FlatAttribute* a = m.find(name);
    REQUIRE(a);
    list.push_back({a, op, values});
  }
  return patch_request(build_patch(list, current))["Operations"];
}

}  // namespace

TEST_CASE("patch: simple and sub-attribute values", "[patch]") {
  const ResourceModel user = test::model("User");
  CHECK(patch_of(user, {{"active", IDSYNC_ATTR_REPLACE, {"false"}},
                        {"name.givenName", IDSYNC_ATTR_REPLACE, {}},
                        {"enterprise.manager", IDSYNC_ATTR_REPLACE, {"u0"}},
                        {"enterprise.department", IDSYNC_ATTR_REMOVE, {}}}) ==
        boost::json::parse(R"([
          {"op":"replace","path":"active","value":false},
          {"op":"remove","path":"name.givenName"},
          {"op":"replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
           "value":{"value":"u0"}},
          {"op":"remove","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department"}])"));
}

TEST_CASE("patch: members value by value", "[patch]") {
  const ResourceModel group = test::model("Group");
  CHECK(patch_of(group, {{"members", IDSYNC_ATTR_ADD, {"u1", "u2"}},
                         {"members", IDSYNC_ATTR_REMOVE, {"u3", "a\"b"}}}) ==
        boost::json::parse(R"([
          {"op":"add","path":"members","value":[{"value":"u1"},{"value":"u2"}]},
          {"op":"remove","path":"members[value eq \"u3\"]"},
          {"op":"remove","path":"members[value eq \"a\\\"b\"]"}])"));
  CHECK(patch_of(group, {{"members", IDSYNC_ATTR_REPLACE, {"u1"}}}) ==
        boost::json::parse(R"([{"op":"replace","path":"members","value":[{"value":"u1"}]}])"));
  CHECK(patch_of(group, {{"members", IDSYNC_ATTR_REMOVE, {}}}) ==
        boost::json::parse(R"([{"op":"remove","path":"members"}])"));
}

TEST_CASE("patch: typed values by value path when the entry exists", "[patch]") {
  const ResourceModel user = test::model("User");
  const auto current = boost::json::parse(
                           R"({"emails":[{"type":"work","value":"old@example.com","primary":true}],
          "phoneNumbers":[{"type":"work","value":"1","display":"one"}]})")
                           .get_object();
  CHECK(patch_of(user,
                 {{"emails.work", IDSYNC_ATTR_REPLACE, {"new@example.com"}},
                  {"phoneNumbers.work", IDSYNC_ATTR_REPLACE, {}},
                  {"emails.home", IDSYNC_ATTR_REPLACE, {}}},
                 &current) == boost::json::parse(R"([
          {"op":"replace","path":"emails[type eq \"work\"].value","value":"new@example.com"},
          {"op":"remove","path":"phoneNumbers[type eq \"work\"]"}])"));
}

TEST_CASE("patch: a typed value without an entry adds one entry", "[patch]") {
  const ResourceModel user = test::model("User");
  const boost::json::object current;
  CHECK(patch_of(user,
                 {{"emails.work", IDSYNC_ATTR_REPLACE, {"a@example.com"}},
                  {"addresses.work.locality", IDSYNC_ATTR_REPLACE, {"London"}},
                  {"addresses.work.postalCode", IDSYNC_ATTR_REPLACE, {"N1"}}},
                 &current) == boost::json::parse(R"([
          {"op":"add","path":"emails","value":[{"type":"work","value":"a@example.com"}]},
          {"op":"add","path":"addresses",
           "value":[{"type":"work","locality":"London","postalCode":"N1"}]}])"));
}

TEST_CASE("patch: a value that does not fit its type is refused", "[patch]") {
  const ResourceModel user = test::model("User");
  CHECK_THROWS_WITH(patch_of(user, {{"active", IDSYNC_ATTR_REPLACE, {"maybe"}}}),
                    Catch::Contains("attribute active"));
}
