// deprovisioning: what disconnecting one of a connector's objects does to its MV object.
#include <catch2/catch.hpp>

#include "manifest/manifest.hpp"
#include "support.hpp"

using namespace idsync::manifest;
using idsync::manifest::test::kManifestFile;
using idsync::manifest::test::problems_of;
using idsync::manifest::test::with_connector;
using Lines = std::vector<std::string>;

TEST_CASE("deprovisioning defaults to deleting the MV object with its last authoritative source",
          "[manifest][deprovisioning]") {
  const Manifest m =
      parse_manifest(with_connector(R"({"name": "HR", "type": "file"})"), kManifestFile);
  CHECK(m.connectors.at(0).deprovisioning == Deprovisioning::kDeleteMvObject);
}

TEST_CASE("deprovisioning is chosen per connector", "[manifest][deprovisioning]") {
  const Manifest m = parse_manifest(
      R"({"store": {"path": "s"}, "connectors": [
          {"name": "HR", "type": "file", "deprovisioning": "make_disconnector"},
          {"name": "AD", "type": "file", "deprovisioning": "delete_mv_object"}]})",
      kManifestFile);
  CHECK(m.connectors.at(0).deprovisioning == Deprovisioning::kMakeDisconnector);
  CHECK(m.connectors.at(1).deprovisioning == Deprovisioning::kDeleteMvObject);
}

TEST_CASE("an unknown deprovisioning choice is reported at its path with the choices",
          "[manifest][deprovisioning]") {
  const Lines problems = problems_of(
      with_connector(R"({"name": "HR", "type": "file", "deprovisioning": "make_disconector"})"));
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].rfind("connectors[0].deprovisioning: ", 0) == 0);
  CHECK(problems[0].find("make_disconnector") != std::string::npos);
  CHECK(problems[0].find("delete_mv_object") != std::string::npos);
}
