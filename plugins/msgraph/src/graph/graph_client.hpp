// The Microsoft Graph request layer: authenticated JSON requests against one Graph endpoint,
// with the retries, throttling waits and write pacing that Graph's limits call for, and JSON
// batching. Everything below it (token, transport, clock, pacer) is injected.
//
// Retries of one logical request (up to retry.max_attempts sends, one client-request-id):
//   401                 once, after TokenProvider::invalidate() (not counted as an attempt);
//                       a second 401 is returned
//   429, 503            wait Retry-After, or the exponential backoff when there is none; a 429 on
//                       a write also pauses the WritePacer, so all writes wait together; a
//                       Retry-After above retry.max_retry_after gives up at once
//   other 5xx, transport failures   exponential backoff
//   exhausted           sdk::Error(IDSYNC_ERR_CONNECTION, or IDSYNC_ERR_TIMEOUT for timeouts and
//                       504, message naming method, host and path and the last failure,
//                       IDSYNC_RETRY)
// Every other status (2xx, 3xx, other 4xx) is returned, not thrown, so the caller can read the
// Graph error (parse_graph_error). Failures of the TokenProvider propagate unchanged.
//
// Not thread-safe (the counters are plain): one GraphClient per thread; the WritePacer and the
// TokenProvider may be shared.
#pragma once

#include <boost/json.hpp>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "auth/token_provider.hpp"
#include "graph/batch.hpp"
#include "http/clock.hpp"
#include "http/http_transport.hpp"
#include "http/retry_policy.hpp"
#include "http/retrying_send.hpp"
#include "http/write_pacer.hpp"

namespace idsync::msgraph {

struct GraphClientSettings {
  std::string graph_base;  // "https://graph.microsoft.com/v1.0" (no trailing slash)
  http::RetryPolicy retry;
  int max_page_size = 999;  // sent as Prefer: odata.maxpagesize on delta queries; 0: not sent
};

// Error codes of the Graph-style bodies that batch() puts into results it has no answer for.
// The request may have been carried out when the answer went missing.
inline constexpr std::string_view kBatchNoAnswerCode = "idsync.batchNoAnswer";
// The request was not carried out: a $batch POST failed after earlier chunks were answered.
inline constexpr std::string_view kBatchNotSentCode = "idsync.batchNotSent";

class GraphClient {
 public:
  using Headers = std::vector<std::pair<std::string, std::string>>;

  // Throws sdk::Error(IDSYNC_ERR_CONFIG) when graph_base is not an absolute URL. The injected
  // objects must outlive the client.
  GraphClient(http::HttpTransport& transport, TokenProvider& tokens, http::WritePacer& pacer,
              http::Clock& clock, GraphClientSettings settings);

  // `path_or_url`: a path relative to graph_base ("/users?$select=id") or an absolute
  // nextLink/deltaLink, which must have graph_base's scheme, host and port, else
  // sdk::Error(IDSYNC_ERR_CONFIG): a link to another host would receive the token. Sends
  // Authorization, Accept: application/json and client-request-id (a fresh UUID per logical
  // request, kept across its retries); on delta queries (path ending in "/delta" or "delta()")
  // also Prefer: odata.maxpagesize. `extra_headers` are added; one named like a default header
  // replaces it (a Prefer is combined with the page size), except Authorization and
  // client-request-id, which cannot be overridden and are ignored.
  http::HttpResponse get(std::string_view path_or_url, const Headers& extra_headers = {});

  // Any method; `body` (may be null) is sent as JSON with Content-Type: application/json.
  // Writes (every method but GET and HEAD) acquire the WritePacer before each send.
  http::HttpResponse send(std::string_view method, std::string_view path,
                          const boost::json::value* body, const Headers& extra_headers = {});

  // JSON batching. `requests` are sent in order, in chunks of at most 20 (and at most
  // WritePacer::writes() writes) to POST {graph_base}/$batch; each chunk acquires the pacer for
  // as many writes as it holds. Sub-responses are matched by id. Sub-requests answered 429/503
  // are re-sent in a later chunk after the largest Retry-After of the chunk (the pacer is paused
  // too when one of them is a write), other 5xx ones after a backoff, within retry.max_attempts
  // per sub-request; after that, or when a sub-request's Retry-After is above max_retry_after,
  // its last answer is returned. Results: one per request, in request order:
  //   - the sub-response (status, headers, JSON body or null);
  //   - when the $batch POST itself is answered with another status (a 400, or a 401 after the
  //     refresh), that answer for each request of the chunk;
  //   - status 0 with body {"error":{"code":kBatchNoAnswerCode,...}} when the answer lacks the
  //     request's id;
  //   - when the $batch POST fails after its retries (transport, 5xx, malformed answer): if
  //     no sub-request has been answered yet, the sdk::Error is thrown; otherwise the
  //     unanswered requests get status 0 with {"error":{"code":kBatchNotSentCode,
  //     "message":<the failure>}}, so the caller learns which earlier ones were carried out.
  std::vector<BatchResult> batch(const std::vector<BatchRequest>& requests);

  const std::string& graph_base() const { return graph_base_; }

  // A $batch POST counts as one request; re-sends and throttled answers of its sub-requests
  // count as retries and throttled answers too.
  using Counters = http::RetryCounters;
  const Counters& counters() const { return counters_; }

 private:
  // One logical request to an absolute URL with retries; `pace_writes` units of the pacer are
  // acquired before each send (0: a read).
  http::HttpResponse execute(std::string_view method, const std::string& url,
                             const std::string* body, const Headers& extra_headers,
                             int pace_writes);
  std::string resolve(std::string_view path_or_url) const;
  void wait(std::chrono::milliseconds delay);

  http::HttpTransport& transport_;
  TokenProvider& tokens_;
  http::WritePacer& pacer_;
  http::Clock& clock_;
  GraphClientSettings settings_;
  std::string graph_base_;
  std::string origin_;
  uint64_t jitter_seed_;
  Counters counters_;
};

}  // namespace idsync::msgraph
