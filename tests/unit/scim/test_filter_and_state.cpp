#include <catch2/catch.hpp>
#include <idsync/sdk.hpp>

#include "client/scim_error.hpp"
#include "connector/import_state.hpp"
#include "connector/service_discovery.hpp"
#include "model/base64.hpp"
#include "model/filter_text.hpp"
#include "model/rfc3339.hpp"

using namespace idsync::scim;

TEST_CASE("filter: values are quoted as JSON strings", "[filter]") {
  CHECK(equals_filter("userName", "ada") == R"(userName eq "ada")");
  CHECK(equals_filter("userName", R"(x" or "1" eq "1)") == R"(userName eq "x\" or \"1\" eq \"1")");
  CHECK(filter_string("back\\slash") == R"("back\\slash")");
  CHECK(modified_since_filter("2024-05-01T12:00:00Z") ==
        R"(meta.lastModified gt "2024-05-01T12:00:00Z")");
  CHECK(list_query(101, 50, R"(userName eq "a b")") ==
        "?startIndex=101&count=50&filter=userName%20eq%20%22a%20b%22");
}

TEST_CASE("watermark: round trip and foreign text", "[state]") {
  Watermark w;
  w.since = {{"User", "2024-05-01T12:00:00Z"}, {"Group", "2024-05-01T12:00:05Z"}};
  CHECK(Watermark::decode(w.encode()).since == w.since);
  for (const char* text : {"", "{}", R"({"v":1,"mode":"other","since":{}})", "not json"}) {
    try {
      Watermark::decode(text);
      FAIL("accepted " << text);
    } catch (const idsync::sdk::Error& e) {
      CHECK(e.kind() == IDSYNC_ERR_PRECONDITION);
    }
  }
}

TEST_CASE("checkpoint: round trip and foreign text", "[state]") {
  ImportCheckpoint c;
  c.type = "Group";
  c.next = 201;
  c.total = 950;
  c.last_ids = {"g1", "g2"};
  c.watermark.since = {{"User", "2024-05-01T12:00:00Z"}};
  c.complete = false;
  const ImportCheckpoint d = ImportCheckpoint::decode(c.encode());
  CHECK(d.type == "Group");
  CHECK(d.next == 201);
  CHECK(d.total == 950);
  CHECK(d.last_ids == c.last_ids);
  CHECK(d.watermark.since == c.watermark.since);
  CHECK_FALSE(d.complete);
  CHECK_THROWS_AS(ImportCheckpoint::decode(R"({"v":1,"type":"User"})"), idsync::sdk::Error);
}

TEST_CASE("times: RFC 3339 and HTTP dates", "[state]") {
  const auto t = parse_rfc3339("2024-05-01T14:00:00.123+02:00");
  REQUIRE(t);
  CHECK(format_rfc3339(*t) == "2024-05-01T12:00:00Z");
  CHECK(format_rfc3339(*parse_rfc3339("2024-02-29T23:59:59Z")) == "2024-02-29T23:59:59Z");
  CHECK_FALSE(parse_rfc3339("2024-13-01T00:00:00Z"));
  CHECK_FALSE(parse_rfc3339("2024-05-01 12:00"));
  const auto d = parse_http_date("Wed, 01 May 2024 12:00:00 GMT");
  REQUIRE(d);
  CHECK(format_rfc3339(*d) == "2024-05-01T12:00:00Z");
  CHECK_FALSE(parse_http_date("120"));
}

TEST_CASE("errors: scimType and status map to kinds", "[errors]") {
  idsync::http::HttpResponse r;
  r.status = 409;
  r.body = R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"409",
               "scimType":"uniqueness","detail":"userName ada is taken"})";
  const ScimError e = parse_scim_error(r);
  CHECK(describe(e, 409) == "409 uniqueness: userName ada is taken");
  CHECK(error_kind(e, 409) == IDSYNC_ERR_ALREADY_EXISTS);
  CHECK(error_kind({"uniqueness", ""}, 400) == IDSYNC_ERR_ALREADY_EXISTS);
  CHECK(error_kind({"mutability", ""}, 400) == IDSYNC_ERR_INVALID_VALUE);
  CHECK(error_kind({"invalidSyntax", ""}, 400) == IDSYNC_ERR_INVALID_VALUE);
  CHECK(error_kind({}, 404) == IDSYNC_ERR_UNKNOWN_OBJECT);
  CHECK(error_kind({}, 403) == IDSYNC_ERR_PERMISSION);
  CHECK(error_kind({}, 503) == IDSYNC_ERR_CONNECTION);
  CHECK(is_retryable(429));
  CHECK_FALSE(is_retryable(400));
  r.status = 502;
  r.body = "<html>Bad\ngateway</html>";
  CHECK(describe(parse_scim_error(r), 502) == "502: <html>Bad gateway</html>");
}

TEST_CASE("base64: both ways", "[values]") {
  CHECK(base64_encode("") == "");
  CHECK(base64_encode("f") == "Zg==");
  CHECK(base64_encode("foobar") == "Zm9vYmFy");
  CHECK(base64_decode("Zm9v YmE=") == std::optional<std::string>("fooba"));
  CHECK_FALSE(base64_decode("Zm9v!"));
}
