// Helpers shared by the plugin host tests: temporary plugin dirs built from the fakes.
#ifndef IDSYNC_TESTS_PLUGIN_HOST_TEST_SUPPORT_HPP
#define IDSYNC_TESTS_PLUGIN_HOST_TEST_SUPPORT_HPP

#include <stdlib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <initializer_list>
#include <string>
#include <system_error>

#include "plugin_host/registry.hpp"

namespace idsync::plugin_host::test {

namespace fs = std::filesystem;

// Where tests/fakes puts the built variants: <dir>/<variant>/{plugin.json, lib*.so}.
inline fs::path fakes_dir() { return fs::path(IDSYNC_FAKES_DIR); }

// Takes group/other write access away, as an admin installing plugins would. Needed because
// the test's umask may grant it, and the host refuses such files.
inline void make_trusted(const fs::path& path) {
  fs::permissions(path, fs::perms::group_write | fs::perms::others_write, fs::perm_options::remove);
}

// A private temporary folder (mode 0700), removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "idsync-plugin-host-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// Copies fake variant `variant` into `dir`/<variant>, trusted; returns the copy's folder.
inline fs::path copy_variant(const std::string& variant, const fs::path& dir) {
  const fs::path from = fakes_dir() / variant;
  REQUIRE(fs::is_directory(from));
  const fs::path to = dir / variant;
  fs::copy(from, to, fs::copy_options::recursive);
  make_trusted(to);
  for (const auto& entry : fs::directory_iterator(to)) make_trusted(entry.path());
  return to;
}

// A plugin dir in `tmp` holding copies of `variants`.
inline fs::path plugin_dir_with(const TempDir& tmp, std::initializer_list<std::string> variants) {
  for (const std::string& v : variants) copy_variant(v, tmp.path());
  return tmp.path();
}

// The one refusal of a registry that must have exactly one; its text names its file.
inline Refusal only_refusal(const Registry& registry) {
  REQUIRE(registry.refused().size() == 1);
  const Refusal& r = registry.refused().front();
  CHECK(r.to_string() == r.file.string() + ": " + r.reason);
  CHECK(r.to_string().find('\n') == std::string::npos);
  return r;
}

}  // namespace idsync::plugin_host::test

#endif  // IDSYNC_TESTS_PLUGIN_HOST_TEST_SUPPORT_HPP
