// base64url (RFC 4648, section 5) without padding, the encoding of JWT segments and of
// certificate thumbprints in JWT headers.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace idsync::msgraph {

// "-" and "_" instead of "+" and "/", no "=" padding.
std::string base64url_encode(std::string_view bytes);

// The bytes, or nullopt for text that is not unpadded base64url: a character outside the
// alphabet (padding included), a length of 1 mod 4, or non-zero bits left over in the last
// character (so every byte string has exactly one encoding).
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace idsync::msgraph
