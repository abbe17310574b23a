// Error answers of the Microsoft identity platform's token endpoint, which follow RFC 6749,
// section 5.2, with Entra's additions:
//   {"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret
//    provided. ...\r\nTrace ID: ...","error_codes":[7000215],"trace_id":"...",...}
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "http/http_types.hpp"

namespace idsync::msgraph {

struct TokenEndpointError {
  std::string error;           // "invalid_client"; "" when the body is not such an answer
  std::string description;     // first line of error_description ("AADSTS7000215: Invalid ...")
  std::vector<int64_t> codes;  // error_codes (the AADSTS numbers)
  std::string trace_id;
};

// Tolerant: any body parses; fields that are missing or of the wrong type stay empty.
TokenEndpointError parse_token_error(const http::HttpResponse& response);

// What a failed token request means for the caller.
enum class TokenFailure {
  kRetry,       // the service is busy or broken: retry later
  kPermission,  // the credentials were refused (wrong secret, unknown or disabled application)
  kConfig,      // the request was wrong (tenant, scope, authority)
};
TokenFailure classify_token_failure(long status, const TokenEndpointError& error);

}  // namespace idsync::msgraph
