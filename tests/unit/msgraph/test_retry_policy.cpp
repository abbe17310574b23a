#include <catch2/catch.hpp>
#include <set>

#include "http/retry_policy.hpp"

using idsync::http::backoff_delay;
using idsync::http::RetryPolicy;
using std::chrono::milliseconds;

TEST_CASE("backoff doubles per failure, with jitter in the upper half", "[backoff]") {
  RetryPolicy policy;
  policy.initial_backoff = milliseconds{500};
  policy.max_backoff = milliseconds{30000};
  for (int failed = 1; failed <= 6; ++failed) {
    const milliseconds nominal{500 << (failed - 1)};
    for (uint64_t seed = 0; seed < 200; ++seed) {
      const auto d = backoff_delay(policy, failed, seed);
      INFO("failed " << failed << " seed " << seed);
      REQUIRE(d >= nominal / 2);
      REQUIRE(d <= nominal);
    }
  }
}

TEST_CASE("backoff jitter actually varies with the seed", "[backoff]") {
  RetryPolicy policy;
  std::set<int64_t> seen;
  for (uint64_t seed = 0; seed < 50; ++seed) seen.insert(backoff_delay(policy, 3, seed).count());
  CHECK(seen.size() > 10);
  // Deterministic for one seed.
  CHECK(backoff_delay(policy, 3, 42) == backoff_delay(policy, 3, 42));
}

TEST_CASE("backoff never exceeds the cap, even for huge attempt numbers", "[backoff]") {
  RetryPolicy policy;
  policy.initial_backoff = milliseconds{1000};
  policy.max_backoff = milliseconds{8000};
  for (int failed : {4, 5, 10, 63, 64, 1000, 1 << 30}) {
    for (uint64_t seed = 0; seed < 100; ++seed) {
      const auto d = backoff_delay(policy, failed, seed);
      REQUIRE(d <= milliseconds{8000});
      REQUIRE(d >= milliseconds{4000});
    }
  }
}

TEST_CASE("backoff with a zero initial delay does not wait", "[backoff]") {
  RetryPolicy policy;
  policy.initial_backoff = milliseconds{0};
  CHECK(backoff_delay(policy, 3, 7) == milliseconds{0});
}
