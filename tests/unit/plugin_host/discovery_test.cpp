// Listing plugins reads plugin.json only: no plugin code runs.
#include "plugin_host/discovery.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "test_support.hpp"

namespace idsync::plugin_host::test {
namespace {

// Whether a file under `dir` is mapped into this process (i.e. was dlopen'ed).
bool mapped(const fs::path& dir) {
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line))
    if (line.find(dir.string()) != std::string::npos) return true;
  return false;
}

TEST_CASE("discovery: listing reads sidecars and loads no library") {
  TempDir tmp;
  const fs::path dir = plugin_dir_with(tmp, {"good", "no_entry", "malformed", "abi_major"});
  const Listing listing = list_plugins({dir});

  // In path order: abi_major, good, malformed, no_entry.
  REQUIRE(listing.entries.size() == 4);
  CHECK(std::holds_alternative<Refusal>(listing.entries[0]));
  CHECK(std::holds_alternative<Refusal>(listing.entries[2]));
  const std::vector<Candidate> candidates = listing.candidates();
  REQUIRE(candidates.size() == 2);
  CHECK(candidates[0].sidecar.name == "fake-good");
  CHECK(candidates[1].sidecar.name == "fake-no-entry");
  CHECK(candidates[0].library == dir / "good" / "libidsync_fake_good.so");
  CHECK(candidates[0].sidecar_file == dir / "good" / "plugin.json");
  CHECK(listing.refused().size() == 2);
  CHECK_FALSE(mapped(dir));

  // Loading does map them: the check above would notice.
  Registry::discover({dir});
  CHECK(mapped(dir));
}

TEST_CASE("discovery: files and hidden folders in a plugin dir are ignored") {
  TempDir tmp;
  const fs::path dir = plugin_dir_with(tmp, {"good"});
  std::ofstream(dir / "README") << "not a plugin";
  fs::create_directory(dir / ".cache");
  const Listing listing = list_plugins({dir});
  CHECK(listing.refused().empty());
  CHECK(listing.candidates().size() == 1);
}

TEST_CASE("discovery: relative plugin dirs are made absolute") {
  TempDir tmp;
  plugin_dir_with(tmp, {"good"});
  const fs::path cwd = fs::current_path();
  fs::current_path(tmp.path().parent_path());
  const Listing listing = list_plugins({tmp.path().filename()});
  fs::current_path(cwd);
  REQUIRE(listing.candidates().size() == 1);
  CHECK(listing.candidates()[0].folder == tmp.path() / "good");
}

}  // namespace
}  // namespace idsync::plugin_host::test
