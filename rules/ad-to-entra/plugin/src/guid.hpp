// GUIDs as Active Directory keeps them and as Microsoft Entra ID wants them for the immutable
// ID (onPremisesImmutableId): pure functions, no SDK types, so unit tests call them directly.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ad_to_entra {

// The 16 bytes of the GUID written as `text` ("4c045603-48d5-4264-94ac-f2db0ab2a15c", hex
// digits in either case, optionally in braces), in the order AD stores objectGUID and
// mS-DS-ConsistencyGuid: the first three fields little endian, the last eight bytes as written.
// That is the order the text form is read back from, so the round trip is exact. Nullopt for
// anything else.
std::optional<std::string> guid_bytes_from_text(std::string_view text);

// Standard base64 (RFC 4648, "+/", padded): the encoding of the immutable ID.
std::string base64(std::string_view bytes);

}  // namespace ad_to_entra
