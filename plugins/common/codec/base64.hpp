// Base64 and base64url (RFC 4648, sections 4 and 5) for the in-tree plugins: LDIF "attr::"
// values and binary values in text formats (file), server cookies inside JSON watermarks (ldap),
// binary attribute values (scim), JWT segments and certificate thumbprints (msgraph). One
// encoder, and one decoder whose strictness each use states.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace idsync::codec {

enum class Base64Alphabet {
  standard,  // "+" and "/"
  url,       // "-" and "_"
};

enum class Base64Padding {
  required,   // the text is a multiple of four characters, "=" filling the last group
  optional,   // "=" may end the text, or not
  forbidden,  // no "=" at all (base64url in JWTs)
};

struct Base64Rules {
  Base64Alphabet alphabet = Base64Alphabet::standard;
  Base64Padding padding = Base64Padding::required;
  // Spaces, tabs and line ends between the characters are ignored.
  bool skip_whitespace = false;
  // The unused bits of the last character must be zero, so that every byte string has exactly
  // one encoding: other text is almost always truncated or corrupt.
  bool canonical = true;
};

struct Base64Error {
  std::size_t position;  // index into the text of the offending character (its length: at end)
  std::string reason;    // "character '*' is not base64", "length 7 is not a multiple of 4", ...
};

// `pad`: fill the last group with "=" to four characters.
std::string base64_encode(std::string_view bytes,
                          Base64Alphabet alphabet = Base64Alphabet::standard, bool pad = true);

// The most bytes `text` can decode to: the room base64_decode_into needs.
inline std::size_t base64_max_decoded_size(std::string_view text) {
  return text.size() / 4 * 3 + 2;
}

// Decodes into `out` (at least base64_max_decoded_size(text) bytes), setting `written`. Nothing
// is promised about `out` after an error.
std::optional<Base64Error> base64_decode_into(std::string_view text, const Base64Rules& rules,
                                              char* out, std::size_t& written);

// The bytes, or nullopt for text the rules refuse.
std::optional<std::string> base64_decode(std::string_view text, const Base64Rules& rules = {});

}  // namespace idsync::codec
