#include "graph_failure.hpp"

#include <algorithm>
#include <string>

namespace idsync::msgraph {

namespace {

bool is_conflict(const GraphError& error) {
  for (const auto& [code, target] : error.details)
    if (code == "ObjectConflict") return true;
  return error.message.find("Another object with the same value for property") != std::string::npos;
}

}  // namespace

http::HttpResponse as_response(const BatchResult& result) {
  http::HttpResponse r;
  r.status = result.status;
  r.headers = result.headers;
  if (!result.body.is_null()) r.body = boost::json::serialize(result.body);
  return r;
}

bool is_sync_state_lost(const GraphError& error, long status) {
  if (status == 410) return true;
  for (std::string_view code : {"syncStateNotFound", "resyncRequired", "syncStateInvalid"})
    if (http::iequals(error.code, code)) return true;
  return false;
}

sdk::Error read_failure(const http::HttpResponse& response, std::string_view what) {
  const GraphError error = parse_graph_error(response);
  const std::string message = std::string(what) + ": " + describe(error, response.status);
  if (is_sync_state_lost(error, response.status))
    return sdk::Error(IDSYNC_ERR_PRECONDITION,
                      message +
                          " (the service no longer holds this delta state: run a full "
                          "import)",
                      IDSYNC_ERROR);
  switch (response.status) {
    case 401:
    case 403:
      return sdk::Error(IDSYNC_ERR_PERMISSION, message, IDSYNC_ERROR);
    case 404:
      return sdk::Error(IDSYNC_ERR_UNKNOWN_OBJECT, message, IDSYNC_ERROR);
    case 400:
      // A property the service does not know, a query it does not support: configuration.
      return sdk::Error(IDSYNC_ERR_CONFIG, message, IDSYNC_ERROR);
    default:
      // 0: a $batch sub-request the service never answered (the client layer's mark).
      if (response.status >= 500 || response.status == 429 || response.status == 0)
        return sdk::Error(IDSYNC_ERR_CONNECTION, message, IDSYNC_RETRY);
      return sdk::Error(IDSYNC_ERR_INVALID_VALUE, message, IDSYNC_ERROR);
  }
}

idsync_error_kind write_failure_kind(const GraphError& error, long status) {
  if (is_conflict(error)) return IDSYNC_ERR_ALREADY_EXISTS;
  switch (status) {
    case 401:
    case 403:
      return IDSYNC_ERR_PERMISSION;
    case 404:
      return IDSYNC_ERR_UNKNOWN_OBJECT;
    case 0:  // never answered
    case 429:
    case 503:
      return IDSYNC_ERR_CONNECTION;
    default:
      return status >= 500 ? IDSYNC_ERR_CONNECTION : IDSYNC_ERR_INVALID_VALUE;
  }
}

}  // namespace idsync::msgraph
