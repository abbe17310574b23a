// Helpers shared by the manifest unit tests.
#ifndef IDSYNC_TESTS_UNIT_MANIFEST_SUPPORT_HPP
#define IDSYNC_TESTS_UNIT_MANIFEST_SUPPORT_HPP

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "manifest/diagnostics.hpp"
#include "manifest/manifest.hpp"

namespace idsync::manifest::test {

// Manifests parsed from text claim to live here; nothing is read from this folder.
inline const std::filesystem::path kManifestFile = "/srv/idsync/manifest.json";

// A fresh folder under the system temp dir, removed with everything in it at scope exit.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "idsync-manifest-XXXXXX").string();
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

  std::filesystem::path write(const std::string& name, std::string_view content,
                              mode_t mode = 0600) const {
    const auto file = path_ / name;
    std::filesystem::create_directories(file.parent_path());
    {
      std::ofstream out(file, std::ios::binary | std::ios::trunc);
      out << content;
      REQUIRE(out.good());
    }
    REQUIRE(::chmod(file.c_str(), mode) == 0);
    return file;
  }

 private:
  std::filesystem::path path_;
};

// Sets (or unsets, with nullopt) an environment variable for the scope and restores it.
class ScopedEnv {
 public:
  ScopedEnv(std::string name, std::optional<std::string> value) : name_(std::move(name)) {
    if (const char* old = std::getenv(name_.c_str())) old_ = old;
    if (value)
      ::setenv(name_.c_str(), value->c_str(), 1);
    else
      ::unsetenv(name_.c_str());
  }
  ~ScopedEnv() {
    if (old_)
      ::setenv(name_.c_str(), old_->c_str(), 1);
    else
      ::unsetenv(name_.c_str());
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  std::string name_;
  std::optional<std::string> old_;
};

inline std::vector<std::string> render(const std::vector<Diagnostic>& diagnostics) {
  std::vector<std::string> out;
  for (const auto& d : diagnostics) out.push_back(to_string(d));
  return out;
}

// The ManifestError that parsing `text` must throw.
inline ManifestError error_of(std::string_view text,
                              const std::filesystem::path& file = kManifestFile) {
  try {
    parse_manifest(text, file);
  } catch (const ManifestError& e) {
    return e;
  }
  FAIL("parse_manifest accepted the manifest");
  throw std::logic_error("unreachable");
}

// Every problem parsing `text` reports, rendered as "path: message".
inline std::vector<std::string> problems_of(std::string_view text) {
  return render(error_of(text).diagnostics());
}

// A valid manifest with `connector` (JSON text of one connector object) as its only connector.
inline std::string with_connector(std::string_view connector) {
  return R"({"store": {"path": "state"}, "connectors": [)" + std::string(connector) + "]}";
}

}  // namespace idsync::manifest::test

#endif  // IDSYNC_TESTS_UNIT_MANIFEST_SUPPORT_HPP
