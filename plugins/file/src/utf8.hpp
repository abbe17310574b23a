// UTF-8 validation. Every data string crossing the plugin ABI must be UTF-8 (ABI rule 4), so the
// readers check their input once, where they can still say which line and column is wrong.
#pragma once

#include <cstddef>
#include <string_view>

namespace idsync::file {

// Returns the index of the first byte that does not belong to a well-formed UTF-8 sequence
// (overlong forms, surrogates and code points above U+10FFFF are ill-formed), or npos when the
// whole string is valid.
std::size_t find_invalid_utf8(std::string_view s);

inline bool is_valid_utf8(std::string_view s) {
  return find_invalid_utf8(s) == std::string_view::npos;
}

}  // namespace idsync::file
