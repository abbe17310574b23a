#include <catch2/catch.hpp>

#include "graph/cloud.hpp"

using idsync::msgraph::cloud_endpoints;

TEST_CASE("national cloud endpoints", "[cloud]") {
  auto check = [](const char* name, const char* authority, const char* graph) {
    const auto e = cloud_endpoints(name);
    REQUIRE(e);
    CHECK(e->authority == authority);
    CHECK(e->graph == graph);
  };
  check("global", "https://login.microsoftonline.com", "https://graph.microsoft.com");
  check("usgov", "https://login.microsoftonline.us", "https://graph.microsoft.us");
  check("usgov-dod", "https://login.microsoftonline.us", "https://dod-graph.microsoft.us");
  check("china", "https://login.chinacloudapi.cn", "https://microsoftgraph.chinacloudapi.cn");
  CHECK_FALSE(cloud_endpoints("germany"));
  CHECK_FALSE(cloud_endpoints(""));
  CHECK_FALSE(cloud_endpoints("Global"));
}
