// Base64 (RFC 4648, standard alphabet, padded) for LDIF "attr:: value" lines and for writing
// binary values into text formats.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "arena.hpp"

namespace idsync::file {

struct Base64Error {
  std::size_t position;  // index into the input of the offending character
  std::string reason;
};

// Decodes strictly: only the standard alphabet, length a multiple of four, '=' only as final
// padding, and unused bits of the last group zero (so every encoding decodes from one text
// only). On success `out` views bytes in `arena`.
std::optional<Base64Error> decode_base64(std::string_view in, Arena& arena, std::string_view& out);

std::string encode_base64(std::string_view bytes);

}  // namespace idsync::file
