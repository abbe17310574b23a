// Mail nicknames Microsoft Graph accepts. AD's sAMAccountName, the fallback when an object has
// no Exchange alias, may hold spaces, parentheses and letters outside ASCII ("Sales Team",
// "Müller (ext)"), all of which Graph refuses in mailNickname, failing the whole create.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ad_to_entra {

// Graph's limit on mailNickname.
inline constexpr std::size_t kMaxMailNicknameLength = 64;

// `alias` without the characters Graph refuses in a mailNickname (anything outside printable
// ASCII, space, and @ ( ) \ [ ] " ; : < > ,), cut to 64 characters. Nullopt when nothing is
// left, so that the flow gives NULL rather than an empty value Graph would refuse too.
std::optional<std::string> cloud_mail_nickname(std::string_view alias);

}  // namespace ad_to_entra
