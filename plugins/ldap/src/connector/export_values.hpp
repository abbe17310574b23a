// Values of an export operation in the form the directory stores them. The host sends its own
// value types: a time as RFC 3339 text, a boolean as true/false, integers and references (DNs)
// as text, binary as raw bytes. LDAP wants Generalized Time and TRUE/FALSE. When the host's
// type is plain STRING (a value from a CSV file, a constant in a rule) but the directory
// declares the attribute a time or a boolean, the value is converted too when it has the host's
// form, so that a rule need not know the directory's syntax.
#pragma once

#include <idsync/plugin_abi.h>

#include <string>
#include <string_view>

namespace idsync::ldap {

// `value` of host type `host_type` for an attribute the directory declares as `declared`
// (STRING when unknown). Throws std::invalid_argument naming the value when a DATETIME value
// is not RFC 3339 or a BOOLEAN value is neither true nor false (callers must not pass secrets
// here: their text would be in the message).
std::string to_directory_value(idsync_value_type host_type, idsync_value_type declared,
                               std::string_view value);

}  // namespace idsync::ldap
