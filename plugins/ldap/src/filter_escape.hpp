// Escaping of values placed into LDAP search filters (RFC 4515, section 3), so that a value
// taken from data (a user name with a parenthesis, a binary GUID) can never change the
// filter's structure or be read as a wildcard.
#pragma once

#include <string>
#include <string_view>

namespace idsync::ldap {

// Escapes an assertion value for use in a filter such as "(cn=" + escape_filter_value(v) + ")":
// '*', '(', ')', '\' and NUL become \2a, \28, \29, \5c and \00. Bytes that are not part of a
// well-formed UTF-8 sequence are escaped as \xx as well, so the filter stays valid UTF-8 as RFC
// 4515 requires; well-formed multi-byte characters pass through unchanged. Never throws.
std::string escape_filter_value(std::string_view value);

// Escapes every byte as \xx (lowercase hex): for binary assertion values such as an objectGUID
// or objectSid, "(objectGUID=" + escape_filter_bytes(raw) + ")". Never throws.
std::string escape_filter_bytes(std::string_view raw);

}  // namespace idsync::ldap
