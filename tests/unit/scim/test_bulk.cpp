#include <catch2/catch.hpp>

#include "model/bulk_message.hpp"

using namespace idsync::scim;

namespace {

BulkItem item(std::string method, std::string path, std::string bulk_id = {}) {
  BulkItem i{std::move(method), std::move(path), std::move(bulk_id), "", std::nullopt};
  if (i.method != "DELETE") i.data = boost::json::object{{"displayName", std::string(100, 'x')}};
  return i;
}

}  // namespace

TEST_CASE("bulk: request operations carry bulkId, version and data", "[bulk]") {
  BulkItem post = item("POST", "/Users", "op1");
  BulkItem patch = item("PATCH", "/Users/u2");
  patch.version = "W/\"3\"";
  const auto body = bulk_request({post, patch, item("DELETE", "/Groups/g1")});
  const auto& ops = body.at("Operations").as_array();
  REQUIRE(ops.size() == 3);
  CHECK(ops[0].at("bulkId") == "op1");
  CHECK(ops[1].at("version") == "W/\"3\"");
  CHECK_FALSE(ops[1].as_object().contains("bulkId"));
  CHECK_FALSE(ops[2].as_object().contains("data"));
  CHECK(body.at("schemas").as_array()[0] == "urn:ietf:params:scim:api:messages:2.0:BulkRequest");
}

TEST_CASE("bulk: chunks keep to maxOperations and maxPayloadSize", "[bulk]") {
  std::vector<BulkItem> items;
  for (int i = 0; i < 5; ++i) items.push_back(item("PATCH", "/Users/u" + std::to_string(i)));
  CHECK(bulk_chunks(items, 2, 0) == std::vector<std::vector<size_t>>{{0, 1}, {2, 3}, {4}});
  const size_t one = bulk_item_size(items[0]);
  const size_t envelope = boost::json::serialize(bulk_request({})).size();
  const auto by_size = bulk_chunks(items, 100, static_cast<int64_t>(envelope + 3 * one));
  CHECK(by_size == std::vector<std::vector<size_t>>{{0, 1, 2}, {3, 4}});
  // An item larger than any request travels alone.
  CHECK(bulk_chunks(items, 100, 10).size() == 5);
}

TEST_CASE("bulk: outcomes matched by bulkId, then by method and path", "[bulk]") {
  const std::vector<BulkItem> items = {item("POST", "/Users", "op7"), item("DELETE", "/Users/u1"),
                                       item("PATCH", "/Users/u2"), item("PATCH", "/Users/u3")};
  const auto response = boost::json::parse(R"({"Operations":[
    {"method":"PATCH","location":"https://s.example/v2/Users/u2","status":"200"},
    {"method":"DELETE","location":"https://s.example/v2/Users/u1","status":"404",
     "response":{"scimType":"","detail":"gone","status":"404"}},
    {"method":"POST","bulkId":"op7","location":"https://s.example/v2/Users/n1","status":"201 Created",
     "version":"W/\"1\""}]})");
  const auto outcomes = match_bulk_response(items, response);
  REQUIRE(outcomes.size() == 4);
  REQUIRE(outcomes[0]);
  CHECK(outcomes[0]->status == 201);
  CHECK(id_from_location(outcomes[0]->location) == "n1");
  CHECK(outcomes[0]->version == "W/\"1\"");
  REQUIRE(outcomes[1]);
  CHECK(outcomes[1]->status == 404);
  CHECK(outcomes[1]->response.at("detail") == "gone");
  REQUIRE(outcomes[2]);
  CHECK(outcomes[2]->status == 200);
  CHECK_FALSE(outcomes[3]);  // not answered
}

TEST_CASE("bulk: id from a location", "[bulk]") {
  CHECK(id_from_location("https://s.example/v2/Users/abc/") == "abc");
  CHECK(id_from_location("/Groups/g%201?x=1") == "g%201");
}
