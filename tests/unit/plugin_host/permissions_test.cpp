// check_trusted on its own.
#include "plugin_host/permissions.hpp"

#include <catch2/catch.hpp>
#include <fstream>

#include "plugin_host/refusal.hpp"
#include "test_support.hpp"

namespace idsync::plugin_host::test {
namespace {

using Catch::Matchers::Contains;

TEST_CASE("permissions: owner-only write access is trusted") {
  TempDir tmp;
  const fs::path file = tmp.path() / "f";
  std::ofstream(file) << "x";
  fs::permissions(file, fs::perms::owner_all | fs::perms::group_read | fs::perms::others_read);
  CHECK_NOTHROW(check_trusted(file, Kind::regular_file));
  CHECK_NOTHROW(check_trusted(tmp.path(), Kind::directory));
}

TEST_CASE("permissions: group or other write access is refused with the fix") {
  TempDir tmp;
  const fs::path file = tmp.path() / "it's";
  std::ofstream(file) << "x";
  fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_write);
  try {
    check_trusted(file, Kind::regular_file);
    FAIL("not refused");
  } catch (const RefusedError& e) {
    CHECK(e.file() == file);
    CHECK_THAT(e.what(), Contains("writable by group or others (mode 0620)"));
    CHECK_THAT(e.what(), Contains("Fix: chmod go-w '" + tmp.path().string() + "/it'\\''s'"));
  }
}

TEST_CASE("permissions: the wrong kind or a missing path is refused") {
  TempDir tmp;
  CHECK_THROWS_WITH(check_trusted(tmp.path(), Kind::regular_file), "is not a regular file");
  CHECK_THROWS_WITH(check_trusted(tmp.path() / "none", Kind::directory), "does not exist");
}

}  // namespace
}  // namespace idsync::plugin_host::test
