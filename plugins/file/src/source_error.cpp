#include "source_error.hpp"

#include <idsync/sdk.hpp>

#include "utf8.hpp"

namespace idsync::file {

std::string display_name(std::string_view path) {
  const auto slash = path.find_last_of('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

void throw_at(std::string_view file, uint64_t line, std::string_view message) {
  throw sdk::Error(IDSYNC_ERR_INVALID_VALUE,
                   std::string(file) + ":" + std::to_string(line) + ": " + std::string(message));
}

void throw_at(std::string_view file, uint64_t line, uint64_t column, std::string_view message) {
  throw sdk::Error(IDSYNC_ERR_INVALID_VALUE, std::string(file) + ":" + std::to_string(line) + ":" +
                                                 std::to_string(column) + ": " +
                                                 std::string(message));
}

std::string quoted(std::string_view value, std::size_t max_len) {
  const bool cut = value.size() > max_len;
  if (cut) {
    // Cut on a character boundary so that a long UTF-8 value still prints as text.
    std::size_t k = max_len;
    while (k > 0 && (static_cast<unsigned char>(value[k]) & 0xC0) == 0x80) --k;
    value = value.substr(0, k);
  }
  const bool utf8 = is_valid_utf8(value);
  std::string out = "\"";
  static const char* hex = "0123456789abcdef";
  for (unsigned char c : value) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f || (c >= 0x80 && !utf8)) {
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  out += cut ? "...\"" : "\"";
  return out;
}

}  // namespace idsync::file
