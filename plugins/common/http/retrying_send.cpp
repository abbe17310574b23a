#include "http/retrying_send.hpp"

#include <algorithm>
#include <idsync/sdk.hpp>
#include <optional>

#include "http/retry_after.hpp"

namespace idsync::http {

using std::chrono::milliseconds;

std::string seconds_text(milliseconds delay) {
  return std::to_string((delay.count() + 999) / 1000) + " s";
}

HttpResponse send_with_retries(HttpTransport& transport, HttpRequest request,
                               const std::string& what, const RetryPolicy& policy, Clock& clock,
                               uint64_t& jitter_seed, const RetryingSend& how,
                               RetryCounters& counters) {
  const int max_attempts = std::max(1, policy.max_attempts);
  const bool paced = how.pacer && how.pace_units > 0;
  const auto wait = [&](milliseconds delay) {
    if (delay.count() <= 0) return;
    clock.sleep_for(delay);
    counters.waited += delay;
  };
  bool refreshed = false;
  for (int attempt = 1;; ++attempt) {
    request.headers.clear();
    how.prepare(request);
    if (paced) how.pacer->acquire(how.pace_units);
    ++counters.requests;
    HttpResponse response;
    try {
      response = transport.send(request);
      if (paced) how.pacer->settle(how.pace_units);
    } catch (const sdk::Error& e) {
      if (paced) how.pacer->settle(how.pace_units);
      if (e.status() != IDSYNC_RETRY) throw;
      if (attempt >= max_attempts)
        throw sdk::Error(
            e.kind(), what + " failed after " + std::to_string(attempt) + " attempts: " + e.what(),
            IDSYNC_RETRY);
      ++counters.retries;
      wait(backoff_delay(policy, attempt, jitter_seed++));
      continue;
    }

    if (response.status == 401 && !refreshed && how.refresh_token && how.refresh_token()) {
      // The token was revoked or expired early: one new token, and this try does not count.
      refreshed = true;
      ++counters.retries;
      --attempt;
      continue;
    }
    const bool throttled = response.status == 429 || response.status == 503;
    if (!throttled && response.status < 500) return response;

    std::optional<milliseconds> retry_after;
    if (throttled) {
      ++counters.throttled;
      if (const auto value = response.header("Retry-After"))
        retry_after = parse_retry_after(*value, clock.wall_now());
      if (retry_after && *retry_after > policy.max_retry_after)
        throw sdk::Error(IDSYNC_ERR_CONNECTION,
                         what + ": the service asks to wait " + seconds_text(*retry_after) +
                             " (Retry-After), longer than the limit of " +
                             seconds_text(policy.max_retry_after),
                         IDSYNC_RETRY);
    }
    if (attempt >= max_attempts)
      throw sdk::Error(response.status == 504 ? IDSYNC_ERR_TIMEOUT : IDSYNC_ERR_CONNECTION,
                       what + " failed after " + std::to_string(attempt) +
                           " attempts: " + how.describe(response),
                       IDSYNC_RETRY);
    const milliseconds delay = retry_after.value_or(backoff_delay(policy, attempt, jitter_seed++));
    if (response.status == 429 && paced) how.pacer->pause_until(clock.now() + delay);
    ++counters.retries;
    wait(delay);
  }
}

}  // namespace idsync::http
