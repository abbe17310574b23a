#include <catch2/catch.hpp>

#include "graph/graph_error.hpp"
#include "support.hpp"

using namespace idsync::msgraph;
using idsync::msgraph::test::response;

TEST_CASE("graph error: a conflict with details and inner error", "[graph_error]") {
  const auto r = response(400, R"({
  "error": {
    "code": "Request_BadRequest",
    "message": "Another object with the same value for property userPrincipalName already exists.",
    "details": [
      {"code": "ObjectConflict", "message": "Another object with the same value for property userPrincipalName already exists.", "target": "userPrincipalName"}
    ],
    "innerError": {
      "date": "2024-05-01T12:00:00",
      "request-id": "6f1c2f4e-1f77-4b52-9a39-2b7d6c1f0a11",
      "client-request-id": "9a8b7c6d-1111-2222-3333-444455556666"
    }
  }
})");
  const GraphError e = parse_graph_error(r);
  CHECK(e.code == "Request_BadRequest");
  CHECK(e.target == "userPrincipalName");
  REQUIRE(e.details.size() == 1);
  CHECK(e.details[0] == std::pair<std::string, std::string>{"ObjectConflict", "userPrincipalName"});
  CHECK(e.request_id == "6f1c2f4e-1f77-4b52-9a39-2b7d6c1f0a11");
  CHECK(describe(e, 400) ==
        "400 Request_BadRequest: Another object with the same value for property "
        "userPrincipalName already exists. (target userPrincipalName)");
}

TEST_CASE("graph error: a plain one, request id from the header", "[graph_error]") {
  const auto r = response(
      404,
      R"({"error":{"code":"Request_ResourceNotFound","message":"Resource 'abc' does not exist or one of its queried reference-property objects are not present.","innerError":{"date":"2024-05-01T12:00:00"}}})",
      {{"request-id", "hdr-id"}});
  const GraphError e = parse_graph_error(r);
  CHECK(e.code == "Request_ResourceNotFound");
  CHECK(e.target.empty());
  CHECK(e.details.empty());
  CHECK(e.request_id == "hdr-id");
  CHECK(describe(e, 404) ==
        "404 Request_ResourceNotFound: Resource 'abc' does not exist or one of its queried "
        "reference-property objects are not present.");
}

TEST_CASE("graph error: non-JSON bodies give a trimmed message", "[graph_error]") {
  const GraphError html =
      parse_graph_error(response(502, "<html>\r\n  <body>\n\n  Bad   gateway\t</body>\n</html>\n"));
  CHECK(html.code.empty());
  CHECK(html.message == "<html> <body> Bad gateway </body> </html>");
  CHECK(describe(html, 502) == "502: <html> <body> Bad gateway </body> </html>");

  const GraphError empty = parse_graph_error(response(503, ""));
  CHECK(empty.message.empty());
  CHECK(describe(empty, 503) == "503");

  const GraphError long_text = parse_graph_error(response(500, std::string(5000, 'x')));
  CHECK(long_text.message.size() <= 303);
  CHECK(long_text.message.substr(long_text.message.size() - 3) == "...");

  // JSON but not a Graph error.
  const GraphError other = parse_graph_error(response(400, R"({"error":"invalid_request"})"));
  CHECK(other.code.empty());
  CHECK(other.message == R"({"error":"invalid_request"})");
}

TEST_CASE("graph error: from a batch sub-response", "[graph_error]") {
  BatchResult r;
  r.status = 404;
  r.body = boost::json::parse(
      R"({"error":{"code":"Request_ResourceNotFound","message":"Resource 'u9' does not exist.","innerError":{"request-id":"rid"}}})");
  const GraphError e = parse_graph_error(r);
  CHECK(describe(e, r.status) == "404 Request_ResourceNotFound: Resource 'u9' does not exist.");
  CHECK(e.request_id == "rid");
  BatchResult none;
  none.status = 204;
  CHECK(parse_graph_error(none).message.empty());
}
