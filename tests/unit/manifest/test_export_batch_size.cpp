// export_batch_size: pending exports per export_batch call, per connector.
#include <catch2/catch.hpp>

#include "manifest/manifest.hpp"
#include "support.hpp"

using namespace idsync::manifest;
using idsync::manifest::test::kManifestFile;
using idsync::manifest::test::problems_of;
using idsync::manifest::test::with_connector;
using Lines = std::vector<std::string>;

TEST_CASE("export_batch_size defaults to 100 and takes 1..100000", "[manifest][export]") {
  auto size_of = [](const std::string& extra) {
    return parse_manifest(with_connector(R"({"name": "HR", "type": "file")" + extra + "}"),
                          kManifestFile)
        .connectors.at(0)
        .export_batch_size;
  };
  CHECK(size_of("") == 100);
  CHECK(size_of(R"(, "export_batch_size": 1)") == 1);
  CHECK(size_of(R"(, "export_batch_size": 100000)") == 100000);
  for (const char* bad : {"0", "100001", "\"5\"", "2.5"}) {
    const Lines problems = problems_of(with_connector(
        std::string(R"({"name": "HR", "type": "file", "export_batch_size": )") + bad + "}"));
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].rfind("connectors[0].export_batch_size: ", 0) == 0);
  }
}
