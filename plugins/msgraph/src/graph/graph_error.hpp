// The error body of Microsoft Graph:
//   {"error":{"code":"Request_BadRequest","message":"Another object with the same value for
//    property userPrincipalName already exists.","details":[{"code":"ObjectConflict",
//    "message":"...","target":"userPrincipalName"}],"innerError":{"request-id":"...",
//    "client-request-id":"...","date":"..."}}}
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "graph/batch.hpp"
#include "http/http_types.hpp"

namespace idsync::msgraph {

struct GraphError {
  std::string code;     // "Request_BadRequest"; "" when the body is not a Graph error
  std::string message;  // one line
  std::string target;   // error.target, else details[0].target when present
  std::vector<std::pair<std::string, std::string>> details;  // (code, target) of each detail
  std::string request_id;  // innerError's request-id, else the request-id response header
};

// Tolerant: any body parses. A body that is not a Graph error gives code "" and, as message,
// the body trimmed to one line of at most 300 characters.
GraphError parse_graph_error(const http::HttpResponse& response);
// The same for a $batch sub-response, whose body is already JSON.
GraphError parse_graph_error(const BatchResult& result);

// "400 Request_BadRequest: Another object ... (target userPrincipalName)"; the parts that are
// empty are left out ("502: Bad gateway", "404").
std::string describe(const GraphError& error, long status);

}  // namespace idsync::msgraph
