// Case-insensitive names. Connector and run profile names are matched ignoring ASCII case, as
// Entra Connect does, so "hr" on the command line finds the connector declared as "HR". Only
// ASCII letters fold; other characters must match exactly.
#ifndef IDSYNC_MANIFEST_NAMES_HPP
#define IDSYNC_MANIFEST_NAMES_HPP

#include <string>
#include <string_view>

namespace idsync::manifest {

inline char fold_ascii(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

inline std::string fold_name(std::string_view name) {
  std::string out(name);
  for (char& c : out) c = fold_ascii(c);
  return out;
}

inline bool names_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (fold_ascii(a[i]) != fold_ascii(b[i])) return false;
  return true;
}

}  // namespace idsync::manifest

#endif  // IDSYNC_MANIFEST_NAMES_HPP
