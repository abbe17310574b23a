// Exchange / Entra mail nicknames (mailNickname, the alias) from people's names.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace contoso {

// The longest alias Exchange accepts.
inline constexpr std::size_t kMaxNickname = 64;

// Builds an alias from name parts, e.g. {"José", "García Márquez"} → "jose.garciamarquez":
// diacritics removed (remove_diacritics), ASCII letters lower-cased, digits, '-' and '_' kept,
// everything else (spaces, apostrophes, dots, other scripts) dropped; the non-empty parts joined
// with '.'; cut to 64 characters; no leading or trailing '.', '-' or '_'. nullopt when nothing is
// left (no part has a usable character). Throws idsync::sdk::Error(IDSYNC_ERR_INVALID_VALUE) for
// invalid UTF-8. Pure.
std::optional<std::string> mail_nickname(const std::vector<std::string_view>& parts);

}  // namespace contoso
