// Initial passwords for accounts provisioned into Microsoft Entra ID. Creating a user through
// Microsoft Graph requires passwordProfile.password; without password hash sync nobody ever
// signs in with it (authentication stays with AD through federation or pass-through, or the
// user resets it), so it only has to be strong and known to no one, as the random password
// Entra Connect writes for a new user is.
#pragma once

#include <cstddef>
#include <string>

namespace ad_to_entra {

// The lengths random_password accepts: Entra ID's password limit is 256 characters, and fewer
// than 16 random characters is weaker than the policy's intent.
inline constexpr std::size_t kMinPasswordLength = 16;
inline constexpr std::size_t kMaxPasswordLength = 256;
inline constexpr std::size_t kDefaultPasswordLength = 32;

// The character classes of Entra ID's complexity rule (three of four required); each generated
// password holds all four. The symbols are ones Entra ID accepts and that need no escaping in
// JSON, LDIF or a shell, so the value survives every hop and a support engineer's paste.
inline constexpr std::string_view kUpper = "ABCDEFGHJKLMNPQRSTUVWXYZ";
inline constexpr std::string_view kLower = "abcdefghijkmnopqrstuvwxyz";
inline constexpr std::string_view kDigits = "23456789";
inline constexpr std::string_view kSymbols = "!#%*+-=?@^_";

// Where random bytes come from; the default reads the kernel's CSPRNG (getrandom(2)). Tests
// substitute a fixed sequence to check the construction, never to weaken real passwords.
using RandomBytes = void (*)(unsigned char* out, std::size_t count);
void system_random_bytes(unsigned char* out, std::size_t count);

// `length` characters, uniformly chosen (rejection sampling, no modulo bias): one from each
// class, the rest from all classes together, then shuffled so that the classes' positions are
// random too. Throws std::invalid_argument for a length outside the bounds above and
// std::system_error when the kernel gives no random bytes.
std::string random_password(std::size_t length, RandomBytes random = &system_random_bytes);

}  // namespace ad_to_entra
