// SCIM error answers (RFC 7644 section 3.12):
//   {"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"409",
//    "scimType":"uniqueness","detail":"userName is already taken"}
// and what each means for an export result or a step.
#pragma once

#include <idsync/plugin_abi.h>

#include <boost/json.hpp>
#include <string>

#include "http/http_types.hpp"

namespace idsync::scim {

struct ScimError {
  std::string scim_type;  // "uniqueness", "mutability", "invalidValue", ...; may be empty
  std::string detail;     // one line; the body itself (trimmed) when it is not a SCIM error
};

// Tolerant: any body parses.
ScimError parse_scim_error(const http::HttpResponse& response);
ScimError parse_scim_error(const boost::json::value& body);

// "409 uniqueness: userName is already taken"; empty parts are left out ("404").
std::string describe(const ScimError& error, long status);

// The kind of a refused request: 404 -> UNKNOWN_OBJECT; 409 or uniqueness -> ALREADY_EXISTS;
// 401, 403 -> PERMISSION; 412 -> PRECONDITION; 429, 5xx -> CONNECTION (with IDSYNC_RETRY, see
// is_retryable); any other 4xx (invalidValue, invalidSyntax, mutability, noTarget, ...) ->
// INVALID_VALUE.
idsync_error_kind error_kind(const ScimError& error, long status);
bool is_retryable(long status);

}  // namespace idsync::scim
