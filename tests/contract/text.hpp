// Small helpers for the bytes that cross the ABI: views as std::string_view, and a printable
// form for messages (anchors may be binary, e.g. objectGUID).
#pragma once

#include <idsync/plugin_abi.h>

#include <string>
#include <string_view>

namespace idsync::contract {

// A view may carry ptr == NULL when len == 0 (ABI, Views).
inline std::string_view view(idsync_str s) {
  return s.len ? std::string_view(s.ptr, s.len) : std::string_view();
}
inline std::string_view view(idsync_bytes b) {
  return b.len ? std::string_view(reinterpret_cast<const char*>(b.ptr), b.len) : std::string_view();
}
inline idsync_str str(std::string_view s) { return idsync_str{s.data(), s.size()}; }
inline idsync_bytes bytes(std::string_view s) {
  return idsync_bytes{reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

// `text` quoted when it is printable ASCII, else 0x-hex; long values are cut.
std::string printable(std::string_view text);

bool is_valid_utf8(std::string_view text);

}  // namespace idsync::contract
