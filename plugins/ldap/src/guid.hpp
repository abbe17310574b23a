// Active Directory objectGUID values: the 16 raw bytes the directory returns and the text form
// people and tools use. The text form is the Windows GUID layout, whose first three fields are
// stored little-endian, so a plain hex dump of the bytes does not match what admins see.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace idsync::ldap {

// 16 raw objectGUID bytes -> "4c0456a1-48d5-4264-94ac-f2db0ab2a15c" (lowercase, no braces).
// The first three groups are the bytes 0-3, 4-5 and 6-7 reversed; the last two are in order.
// Throws std::invalid_argument when raw16 is not exactly 16 bytes.
std::string guid_to_string(std::string_view raw16);

// The inverse: "4c0456a1-48d5-4264-94ac-f2db0ab2a15c", in any letter case, optionally inside
// "{...}", -> the 16 raw bytes. Returns nullopt for anything else (wrong length, misplaced
// hyphens, non-hex digits, unbalanced braces).
std::optional<std::string> guid_from_string(std::string_view text);

}  // namespace idsync::ldap
