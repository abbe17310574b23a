// Problems found in a manifest, and the one exception that carries all of them.
//
// Checking never stops at the first problem: every check appends to a std::vector<Diagnostic>
// and the caller throws one ManifestError at the end, so an admin fixes everything in one pass.
//
// Messages echo identifiers (keys, connector and run profile names, environment variable names,
// file paths) and the JSON type that was found, but never a value of a config field or secret,
// so a secret pasted in the wrong place cannot reach a log through an error message.
#ifndef IDSYNC_MANIFEST_DIAGNOSTICS_HPP
#define IDSYNC_MANIFEST_DIAGNOSTICS_HPP

#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

namespace idsync::manifest {

struct Diagnostic {
  // Where: a JSON path such as `connectors[1].config.port` (see json_path.hpp); empty for the
  // file as a whole.
  std::string path;
  // What is wrong, as a sentence fragment: `expected an integer 1..65535`.
  std::string message;
  // 1-based position in the file; set only for JSON syntax errors (0 otherwise), where a path
  // cannot be given because the document did not parse.
  std::size_t line = 0;
  std::size_t column = 0;
};

// "connectors[1].config.port: expected an integer 1..65535"; "3:15: message" for syntax errors;
// just the message when the path is empty.
std::string to_string(const Diagnostic& d);

// Thrown by load_manifest/parse_manifest, and by the host after resolve_config found problems.
// what() names the file once, then every problem:
//   manifest.json: connectors[1].config.port: expected an integer 1..65535
//   manifest.json:3:15: invalid JSON: expected comma
//   manifest.json: 2 problems:
//     store.path: required key is missing
//     connectors[0].name: expected a string, found a number
class ManifestError : public std::runtime_error {
 public:
  ManifestError(std::string file, std::vector<Diagnostic> diagnostics);

  const std::string& file() const noexcept { return file_; }
  const std::vector<Diagnostic>& diagnostics() const noexcept { return diagnostics_; }

 private:
  std::string file_;
  std::vector<Diagnostic> diagnostics_;
};

}  // namespace idsync::manifest

#endif  // IDSYNC_MANIFEST_DIAGNOSTICS_HPP
