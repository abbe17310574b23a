// Paths that name a place in the manifest the way an admin reads it, e.g.
// `connectors[1].config.port` or `connectors[0].run_profiles["Full Import"][0].type`.
#ifndef IDSYNC_MANIFEST_JSON_PATH_HPP
#define IDSYNC_MANIFEST_JSON_PATH_HPP

#include <cstddef>
#include <cstdio>
#include <string>
#include <string_view>

namespace idsync::manifest {

namespace detail {

inline bool is_plain_key(std::string_view key) {
  if (key.empty() || (key[0] >= '0' && key[0] <= '9')) return false;
  for (char c : key) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace detail

// The path of member `key` of the object at `parent` ("" is the top level). Plain identifiers
// are joined with a dot; anything else (spaces, dots, empty) is written as ["key"] with JSON
// escapes so the path stays unambiguous.
inline std::string member_path(std::string_view parent, std::string_view key) {
  std::string out(parent);
  if (detail::is_plain_key(key)) {
    if (!out.empty()) out += '.';
    out += key;
    return out;
  }
  out += "[\"";
  for (unsigned char c : key) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += "\"]";
  return out;
}

// The path of element `index` of the array at `parent`.
inline std::string index_path(std::string_view parent, std::size_t index) {
  std::string out(parent);
  out += '[';
  out += std::to_string(index);
  out += ']';
  return out;
}

}  // namespace idsync::manifest

#endif  // IDSYNC_MANIFEST_JSON_PATH_HPP
