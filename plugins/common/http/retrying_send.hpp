// One request of a web-service client, sent until it has an answer worth returning: the retry
// loop every in-tree connector of a web service runs around each request.
//
//   transport failure    backoff, then again (up to the policy's max_attempts in all)
//   401                  once per request: `refresh_token` may invalidate the token, and when it
//                        says a new one is worth a try, the request goes again without that try
//                        counting
//   429, 503             wait Retry-After, or the backoff when there is none; a Retry-After above
//                        the policy's max_retry_after gives up at once. A 429 on a paced write
//                        pauses the pacer, so that every write of the connector waits with it:
//                        services throttle per client
//   other 5xx            backoff, then again
//   anything else        returned as it is, for the caller to judge
//
// Giving up throws sdk::Error(CONNECTION, or TIMEOUT for a 504 or a transport timeout, ...,
// IDSYNC_RETRY): the run stops and the next one tries again. Messages name the method, host and
// path (`what`), never a header, a token or a body.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "http/clock.hpp"
#include "http/http_transport.hpp"
#include "http/retry_policy.hpp"
#include "http/write_pacer.hpp"

namespace idsync::http {

struct RetryCounters {
  uint64_t requests = 0;                // exchanges attempted
  uint64_t retries = 0;                 // re-sends, a try with a new token included
  uint64_t throttled = 0;               // 429 and 503 answers
  std::chrono::milliseconds waited{0};  // time spent in retry waits (not in pacing)
};

struct RetryingSend {
  // Sets the headers of each try on the request (the Authorization of the current token).
  std::function<void(HttpRequest&)> prepare;
  // After a 401: invalidates the token; true when a new one can be had and is worth a try.
  std::function<bool()> refresh_token;
  // The reason given when the client gives up on an answer ("503: <the service's message>").
  std::function<std::string(const HttpResponse&)> describe;
  // Units of `pacer` each try takes (0: not paced, a read). Acquired once signed in, right
  // before sending, and counted from the answer (WritePacer::settle).
  int pace_units = 0;
  WritePacer* pacer = nullptr;
};

// `jitter_seed` advances with every backoff drawn, so that retries of one client spread out.
HttpResponse send_with_retries(HttpTransport& transport, HttpRequest request,
                               const std::string& what, const RetryPolicy& policy, Clock& clock,
                               uint64_t& jitter_seed, const RetryingSend& how,
                               RetryCounters& counters);

// A delay as messages show it, in whole seconds rounded up: "90 s".
std::string seconds_text(std::chrono::milliseconds delay);

}  // namespace idsync::http
