// Base64 (RFC 4648, padded) for the server cookies that the connector keeps inside its JSON
// watermarks and checkpoints.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace idsync::ldap {

std::string encode_base64(std::string_view bytes);
// nullopt for anything but well-formed padded base64.
std::optional<std::string> decode_base64(std::string_view text);

}  // namespace idsync::ldap
