// Random UUIDs (RFC 9562 version 4) for client-request-id headers and JWT "jti" claims.
#pragma once

#include <string>

namespace idsync::http {

// "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx" in lower-case hex, from OpenSSL's CSPRNG (a jti must
// not be guessable). Throws sdk::Error(IDSYNC_ERR_INTERNAL) if the generator fails.
std::string random_uuid();

}  // namespace idsync::http
