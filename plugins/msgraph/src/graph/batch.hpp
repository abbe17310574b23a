// JSON batching (POST {graph_base}/$batch): up to 20 requests in one body, answered in one body
// whose sub-responses may come in any order. These are the pure encode and decode steps;
// GraphClient::batch does the chunking, pacing and retries.
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace idsync::msgraph {

// The most requests Graph accepts in one $batch body.
inline constexpr std::size_t kMaxBatchRequests = 20;

struct BatchRequest {
  std::string method;  // "GET", "POST", "PATCH", "DELETE"
  std::string url;     // relative to the version root, "/groups/{id}/members/$ref"
  std::optional<boost::json::value> body;  // sent with Content-Type: application/json
};

struct BatchResult {
  long status = 0;  // 0: no answer (see GraphClient::batch)
  std::vector<std::pair<std::string, std::string>> headers;
  boost::json::value body;  // null when none

  // The first header called `name`, case-insensitively.
  std::optional<std::string> header(std::string_view name) const;
};

// One sub-response with the id it answers.
struct BatchResponse {
  std::string id;
  BatchResult result;
};

// {"requests":[{"id":ids[i],"method":..,"url":..,"headers":{"Content-Type":"application/json"},
// "body":..}, ...]}; headers and body only when the request has a body. `ids` is as long as
// `requests`.
std::string encode_batch(const std::vector<BatchRequest>& requests,
                         const std::vector<std::string>& ids);

// The sub-responses of a $batch answer, in the order the service sent them. Tolerates missing
// "headers" and "body" (null body) and numeric ids. A body that is not JSON, lacks the
// "responses" array, or holds a sub-response without an id or a numeric status throws
// sdk::Error(IDSYNC_ERR_CONNECTION, ..., IDSYNC_RETRY): the answer was damaged on the way or the
// service failed, and sending again is the remedy.
std::vector<BatchResponse> decode_batch(std::string_view body);

// True for the methods that change data (and so go through the WritePacer).
bool is_write_method(std::string_view method);

}  // namespace idsync::msgraph
