#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <idsync/sdk.hpp>

#include "graph/batch.hpp"

using namespace idsync::msgraph;

TEST_CASE("batch encoding: ids, methods and urls, JSON bodies with their header", "[batch]") {
  std::vector<BatchRequest> requests = {
      {"POST", "/groups/g1/members/$ref",
       boost::json::value{{"@odata.id", "https://graph.microsoft.com/v1.0/directoryObjects/u1"}}},
      {"DELETE", "/groups/g1/members/u2/$ref", std::nullopt},
      {"GET", "/users/u3?$select=id", std::nullopt},
  };
  const auto json = boost::json::parse(encode_batch(requests, {"7", "8", "9"}));
  const auto& list = json.at("requests").as_array();
  REQUIRE(list.size() == 3);
  CHECK(list[0].at("id") == "7");
  CHECK(list[0].at("method") == "POST");
  CHECK(list[0].at("url") == "/groups/g1/members/$ref");
  CHECK(list[0].at("headers").at("Content-Type") == "application/json");
  CHECK(list[0].at("body").at("@odata.id") ==
        "https://graph.microsoft.com/v1.0/directoryObjects/u1");
  CHECK(list[1].at("id") == "8");
  CHECK_FALSE(list[1].as_object().contains("body"));
  CHECK_FALSE(list[1].as_object().contains("headers"));
  CHECK(list[2].at("url") == "/users/u3?$select=id");
}

TEST_CASE("batch decoding: any order, missing parts tolerated", "[batch]") {
  const auto responses = decode_batch(R"({"responses":[
    {"id":"3","status":204,"headers":{"Cache-Control":"no-cache"}},
    {"id":"1","status":201,"headers":{"Location":"https://graph.microsoft.com/v1.0/users/u1","Content-Type":"application/json"},"body":{"id":"u1"}},
    {"id":2,"status":429,"headers":{"Retry-After":"10"},"body":{"error":{"code":"TooManyRequests","message":"Slow down"}}},
    {"id":"4","status":200}
  ]})");
  REQUIRE(responses.size() == 4);
  CHECK(responses[0].id == "3");
  CHECK(responses[0].result.status == 204);
  CHECK(responses[0].result.body.is_null());
  CHECK(responses[0].result.header("cache-control") == std::optional<std::string>("no-cache"));
  CHECK(responses[1].result.body.at("id") == "u1");
  CHECK(responses[1].result.header("location") ==
        std::optional<std::string>("https://graph.microsoft.com/v1.0/users/u1"));
  CHECK(responses[2].id == "2");
  CHECK(responses[2].result.status == 429);
  CHECK(responses[2].result.header("Retry-After") == std::optional<std::string>("10"));
  CHECK(responses[3].result.headers.empty());
  CHECK(decode_batch(R"({"responses":[]})").empty());
}

TEST_CASE("batch decoding: malformed answers are retryable connection errors", "[batch]") {
  for (const char* bad :
       {"", "<html>Bad gateway</html>", "[]", R"({"value":[]})", R"({"responses":{}})",
        R"({"responses":[1]})", R"({"responses":[{"status":200}]})",
        R"({"responses":[{"id":"1","status":"200"}]})", R"({"responses":[{"id":"1"}]})",
        R"({"responses":[{"id":"1","status)"}) {
    INFO(bad);
    try {
      decode_batch(bad);
      FAIL("accepted");
    } catch (const idsync::sdk::Error& e) {
      CHECK(e.kind() == IDSYNC_ERR_CONNECTION);
      CHECK(e.status() == IDSYNC_RETRY);
      CHECK_THAT(e.what(), Catch::Contains("malformed $batch response"));
    }
  }
}

TEST_CASE("write methods", "[batch]") {
  CHECK(is_write_method("POST"));
  CHECK(is_write_method("PATCH"));
  CHECK(is_write_method("DELETE"));
  CHECK(is_write_method("PUT"));
  CHECK_FALSE(is_write_method("GET"));
  CHECK_FALSE(is_write_method("get"));
}
