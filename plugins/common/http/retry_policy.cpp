#include "http/retry_policy.hpp"

#include <algorithm>

namespace idsync::http {
namespace {

// SplitMix64 finalizer: spreads consecutive seeds over the whole 64-bit range.
uint64_t mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace

std::chrono::milliseconds backoff_delay(const RetryPolicy& policy, int failed_attempts,
                                        uint64_t jitter_seed) {
  const int64_t cap = std::max<int64_t>(0, policy.max_backoff.count());
  int64_t nominal = std::max<int64_t>(0, policy.initial_backoff.count());
  // Doubling stops at the cap, so large attempt numbers cannot overflow.
  for (int i = 1; i < failed_attempts && nominal < cap; ++i) nominal *= 2;
  nominal = std::min(nominal, cap);
  const int64_t floor = nominal / 2;
  const int64_t span = nominal - floor;  // jitter range, inclusive
  const auto jitter = static_cast<int64_t>(mix(jitter_seed) % static_cast<uint64_t>(span + 1));
  return std::chrono::milliseconds{floor + jitter};
}

}  // namespace idsync::http
