// How an LDAP result code becomes an idsync status and error kind, and the message a person
// reads. One table for imports, exports and the connection test, so that a code means the same
// everywhere: an unreachable or busy server is connectivity (the step stops as
// stopped-connectivity, an export operation is retried), a refused bind is configuration,
// a constraint violation is a data error carrying the server's own message.
#pragma once

#include <idsync/sdk.hpp>
#include <string>
#include <string_view>

namespace idsync::ldap {

struct Classified {
  idsync_status status;
  idsync_error_kind kind;
};

// The status and kind of LDAP result code `code` (RFC 4511 codes and libldap's negative API
// codes). LDAP_SUCCESS is not an error: it classifies as {OK, NONE}.
Classified classify(int code);

// "<what>: <libldap's text for code> (code N)[: <server's diagnostic message>]".
std::string describe(int code, std::string_view what, std::string_view server_message = {});

// Throws sdk::Error with the classification and description of `code`.
[[noreturn]] void throw_ldap(int code, std::string_view what, std::string_view server_message = {});

}  // namespace idsync::ldap
