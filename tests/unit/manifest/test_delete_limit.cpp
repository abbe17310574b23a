// full_import_delete_limit: the source-health guard's limit per connector. What it loads into,
// its default, and the diagnostics of values it refuses.
#include <catch2/catch.hpp>

#include "manifest/manifest.hpp"
#include "support.hpp"

using namespace idsync::manifest;
using idsync::common::DeleteLimit;
using idsync::manifest::test::kManifestFile;
using idsync::manifest::test::problems_of;
using idsync::manifest::test::with_connector;
using Lines = std::vector<std::string>;

namespace {

// The limit a connector declaring `"full_import_delete_limit": <json>` loads with.
DeleteLimit limit_of(const std::string& json) {
  const Manifest m = parse_manifest(
      with_connector(R"({"name": "HR", "type": "file", "full_import_delete_limit": )" + json + "}"),
      kManifestFile);
  return m.connectors.at(0).full_import_delete_limit;
}

}  // namespace

TEST_CASE("the full-import delete limit defaults to half the connector space",
          "[manifest][delete-limit]") {
  const Manifest m =
      parse_manifest(with_connector(R"({"name": "HR", "type": "file"})"), kManifestFile);
  CHECK(m.connectors.at(0).full_import_delete_limit == DeleteLimit::share(50));
  CHECK(m.connectors.at(0).full_import_delete_limit.to_string() == "50%");
}

TEST_CASE("the full-import delete limit is a count or a percentage", "[manifest][delete-limit]") {
  CHECK(limit_of("0") == DeleteLimit::count(0));
  CHECK(limit_of("120") == DeleteLimit::count(120));
  CHECK(limit_of("120.0") == DeleteLimit::count(120));
  CHECK(limit_of("18446744073709551615") == DeleteLimit::count(18446744073709551615u));
  CHECK(limit_of(R"("1%")") == DeleteLimit::share(1));
  CHECK(limit_of(R"("35%")") == DeleteLimit::share(35));
  CHECK(limit_of(R"("100%")") == DeleteLimit::share(100));
}

TEST_CASE("a bad full-import delete limit is reported at its path", "[manifest][delete-limit]") {
  const auto problems = [](const std::string& json) {
    return problems_of(with_connector(
        R"({"name": "HR", "type": "file", "full_import_delete_limit": )" + json + "}"));
  };
  const std::string at = "connectors[0].full_import_delete_limit: ";
  const std::string limit = R"(an integer >= 0 or a percentage "1%".."100%")";
  CHECK(problems("-1") == Lines{at + "expected " + limit});
  CHECK(problems("1e30") == Lines{at + "expected " + limit});
  CHECK(problems("2.5") == Lines{at + "expected " + limit + ", found a fractional number"});
  CHECK(problems("true") == Lines{at + "expected " + limit + ", found a boolean"});
  CHECK(problems("null") == Lines{at + "expected " + limit + ", found null"});
  CHECK(problems(R"(["50%"])") == Lines{at + "expected " + limit + ", found an array"});
  for (const std::string bad :
       {"0%", "101%", "50", "%", "50 %", " 50%", "+50%", "-5%", "12.5%", "half", "", "50%%"})
    CHECK(problems("\"" + bad + "\"") ==
          Lines{at + R"(expected a percentage "1%".."100%", found ")" + bad + "\""});
}

TEST_CASE("the full-import delete limit is a known connector key with a did-you-mean",
          "[manifest][delete-limit]") {
  CHECK(
      problems_of(
          with_connector(R"({"name": "HR", "type": "file", "full_import_delete_limits": 5})")) ==
      Lines{
          R"(connectors[0].full_import_delete_limits: unknown key; did you mean "full_import_delete_limit"?)"});
}
