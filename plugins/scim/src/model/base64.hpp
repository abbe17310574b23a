// Base64 as SCIM carries binary attribute values (RFC 7643, section 2.3.6): RFC 4648's standard
// alphabet. What a service sends is read leniently (line breaks and missing padding are
// accepted, as many services emit them); what the connector sends is padded.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "codec/base64.hpp"

namespace idsync::scim {

inline std::string base64_encode(std::string_view bytes) { return codec::base64_encode(bytes); }

// nullopt for text that is not base64 (whitespace is skipped, padding is optional).
inline std::optional<std::string> base64_decode(std::string_view text) {
  return codec::base64_decode(text, {.alphabet = codec::Base64Alphabet::standard,
                                     .padding = codec::Base64Padding::optional,
                                     .skip_whitespace = true,
                                     .canonical = false});
}

}  // namespace idsync::scim
