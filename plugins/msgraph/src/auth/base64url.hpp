// base64url (RFC 4648, section 5) without padding, the encoding of JWT segments and of
// certificate thumbprints in JWT headers (RFC 7515, section 2).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "codec/base64.hpp"

namespace idsync::msgraph {

// "-" and "_" instead of "+" and "/", no "=" padding.
inline std::string base64url_encode(std::string_view bytes) {
  return codec::base64_encode(bytes, codec::Base64Alphabet::url, /*pad=*/false);
}

// The bytes, or nullopt for text that is not unpadded base64url: a character outside the
// alphabet (padding included), a length of 1 mod 4, or non-zero bits left over in the last
// character (so every byte string has exactly one encoding).
inline std::optional<std::string> base64url_decode(std::string_view text) {
  return codec::base64_decode(text, {.alphabet = codec::Base64Alphabet::url,
                                     .padding = codec::Base64Padding::forbidden,
                                     .skip_whitespace = false,
                                     .canonical = true});
}

}  // namespace idsync::msgraph
