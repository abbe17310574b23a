// Secrets are never written into the manifest. A field that holds one gives a reference:
//   {"env": "HR_PW"}          the value of environment variable HR_PW
//   {"file": "secrets/hr"}    the content of that file (relative to the manifest's folder),
//                             less one trailing line ending ("\n" or "\r\n")
// Messages name the variable or the file, never the content; a secret file must not be readable
// by other users, as ssh does for private keys.
#ifndef IDSYNC_MANIFEST_SECRETS_HPP
#define IDSYNC_MANIFEST_SECRETS_HPP

#include <boost/json/value.hpp>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "manifest/diagnostics.hpp"

namespace idsync::manifest {

struct SecretRef {
  enum class Source { kEnv, kFile };
  Source source = Source::kEnv;
  std::string name;  // kEnv: the variable's name; kFile: the path as written
};

// The start of every message about a value that is not a reference.
inline constexpr std::string_view kSecretShape =
    R"(must be a reference {"env": ...} or {"file": ...})";

// Reads a reference at `path`. Problems (each added to `problems`, and nothing returned):
//   a string:          must be a reference {"env": ...} or {"file": ...}, not inline text
//   another type:      must be a reference {"env": ...} or {"file": ...}, found a number
//   {}:                must be a reference {"env": ...} or {"file": ...}
//   both keys:         give either "env" or "file", not both
//   <path>.<key>:      unknown key[; did you mean "env"?]
//   <path>.env|file:   expected a string, found ... / must not be empty
// The text of an inline string is never repeated.
std::optional<SecretRef> parse_secret_ref(const boost::json::value& value, const std::string& path,
                                          std::vector<Diagnostic>& problems);

// Fetches the secret; `base_dir` (absolute) anchors a relative file. Problems, at `path`:
//   environment variable "HR_PW" is not set | is empty
//   secret file "/abs/hr" cannot be opened: <reason>
//   secret file "/abs/hr" is not a regular file
//   secret file "/abs/hr" is readable by other users (mode 0644); run chmod 600 on it
//   secret file "/abs/hr" is larger than 1 MiB; it must hold only the secret
//   secret file "/abs/hr" is empty
// An empty secret is refused because it is almost always a missing export or an empty file.
// The permission check uses the opened file's mode (no race with a rename) and comes before
// any byte is read.
std::optional<std::string> read_secret(const SecretRef& ref, const std::filesystem::path& base_dir,
                                       const std::string& path, std::vector<Diagnostic>& problems);

}  // namespace idsync::manifest

#endif  // IDSYNC_MANIFEST_SECRETS_HPP
