// Base64 (RFC 4648 section 4, with padding): SCIM's encoding of binary attribute values.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace idsync::scim {

std::string base64_encode(std::string_view bytes);
// nullopt for text that is not base64 (whitespace is skipped, padding is optional).
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace idsync::scim
