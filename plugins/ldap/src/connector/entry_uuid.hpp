// entryUUID values (RFC 4530) in their two forms: the 16 raw bytes that RFC 4533 sync messages
// carry, and the text the attribute is read as ("597ae2f6-16a6-1027-98f4-d28b5365dc14"), which
// is the generic directory's anchor. The connector keeps anchors it must remember as raw bytes:
// 16 bytes each, less than half the text.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace idsync::ldap {

using Uuid = std::array<uint8_t, 16>;

// "597ae2f6-16a6-1027-98f4-d28b5365dc14": lowercase, the bytes in order (RFC 4122 text form,
// which is how OpenLDAP returns entryUUID).
std::string uuid_to_text(const Uuid& uuid);

// The inverse, in any letter case; nullopt for anything but 8-4-4-4-12 hex digits.
std::optional<Uuid> uuid_from_text(std::string_view text);

}  // namespace idsync::ldap
