// The value Active Directory expects when a password is set or replaced through LDAP: the
// unicodePwd attribute holds the password enclosed in double quotes and encoded as UTF-16LE
// (MS-ADTS 3.1.1.3.1.5.1). The directory never returns it; this direction is all we need.
#pragma once

#include <string>
#include <string_view>

namespace idsync::ldap {

// UTF-8 password -> the bytes of "\"" + password + "\"" in UTF-16LE; code points above U+FFFF
// become surrogate pairs. Throws std::invalid_argument when the password is not well-formed
// UTF-8 (a stray or missing continuation byte, an overlong form, a surrogate, a code point
// beyond U+10FFFF); the message gives the byte offset only, never the password.
std::string ad_unicode_pwd(std::string_view utf8_password);

}  // namespace idsync::ldap
