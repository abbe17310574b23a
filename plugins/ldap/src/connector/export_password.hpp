// Passwords in exports. An operation carries a password as an attribute with the clear-text
// value (a rule's constant or expression); this file says which attribute names are passwords,
// what the directory wants on the wire, and when a password may not be sent at all.
//
//   ldap.ad       "unicodePwd": sent as ad_unicode_pwd(value), the quoted UTF-16LE form
//                 Active Directory requires. AD takes it only over an encrypted connection.
//   ldap.generic  "userPassword": sent as given (clear text, which the server may hash, or a
//                 "{SSHA}..." value).
//
// Both are declared IDSYNC_ATTRINFO_SECRET in the schema (directory_schema.cpp), so the host
// masks their values everywhere and sends them only when it provisions an object. No alias:
// the host knows a secret by its declared name.
//
// A password value is never put into a message or a log line: callers mask it (mask_secrets).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "ldap_options.hpp"

namespace idsync::ldap {

// The directory attribute the export attribute `name` sets when it is a password attribute;
// nullopt otherwise. Case-insensitive.
std::optional<std::string> password_attribute(DirectoryKind kind, std::string_view name);

// The bytes to send for clear-text password `value`. Throws std::invalid_argument when AD's
// encoding refuses it (not UTF-8); the message gives a byte offset, never the value.
std::string encode_password(DirectoryKind kind, std::string_view value);

// Why a password must not be sent over this connection, or nullopt when it may be. Active
// Directory refuses unicodePwd over a connection that is not encrypted, so it is not tried;
// a generic directory gets one in the clear only when the admin allowed plain-text binds.
std::optional<std::string> password_refusal(const Options& options, bool encrypted);

}  // namespace idsync::ldap
