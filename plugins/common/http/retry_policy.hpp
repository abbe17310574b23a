// How often and how long the client layer retries one request, and the exponential backoff
// used when the server gives no Retry-After.
#pragma once

#include <chrono>
#include <cstdint>

namespace idsync::http {

struct RetryPolicy {
  int max_attempts = 6;                            // tries of one request in all
  std::chrono::milliseconds initial_backoff{500};  // 5xx / transport: exponential from here
  std::chrono::milliseconds max_backoff{30000};    // cap of one wait
  std::chrono::milliseconds max_retry_after{
      300000};  // a longer Retry-After gives up (RETRY status)
};

// The wait after the `failed_attempts`-th failure (1 for the first). The nominal delay is
// initial_backoff * 2^(failed_attempts-1), capped at max_backoff; the result is drawn from
// [nominal/2, nominal] by `jitter_seed` ("equal jitter"), so that many clients failing together
// do not retry in step while each still waits at least half the nominal time. Deterministic for
// a given seed; never above max_backoff; never negative.
std::chrono::milliseconds backoff_delay(const RetryPolicy& policy, int failed_attempts,
                                        uint64_t jitter_seed);

}  // namespace idsync::http
