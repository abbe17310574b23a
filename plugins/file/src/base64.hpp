// Base64 as LDIF reads it ("attr:: value"), and as binary values are written into text
// formats: RFC 4648's standard alphabet, padded, strictly (the shared codec's default rules).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "arena.hpp"
#include "codec/base64.hpp"

namespace idsync::file {

using codec::Base64Error;

// Decodes strictly: only the standard alphabet, length a multiple of four, '=' only as final
// padding, and unused bits of the last group zero (so every encoding decodes from one text
// only). On success `out` views bytes in `arena`.
std::optional<Base64Error> decode_base64(std::string_view in, Arena& arena, std::string_view& out);

inline std::string encode_base64(std::string_view bytes) { return codec::base64_encode(bytes); }

}  // namespace idsync::file
