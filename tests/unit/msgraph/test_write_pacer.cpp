#include <catch2/catch.hpp>

#include "http/write_pacer.hpp"
#include "support.hpp"

using idsync::http::WritePacer;
using idsync::msgraph::test::FakeClock;
using std::chrono::milliseconds;

namespace {

// Start times of `n` single acquisitions, relative to the first.
std::vector<milliseconds> start_times(WritePacer& pacer, FakeClock& clock, int n) {
  const auto t0 = clock.now();
  std::vector<milliseconds> out;
  for (int i = 0; i < n; ++i) {
    pacer.acquire();
    out.push_back(std::chrono::duration_cast<milliseconds>(clock.now() - t0));
  }
  return out;
}

}  // namespace

TEST_CASE("pacer: N writes per interval start no faster", "[pacer]") {
  FakeClock clock;
  WritePacer pacer(3, milliseconds{1000}, clock);
  const auto starts = start_times(pacer, clock, 7);
  CHECK(starts == std::vector<milliseconds>{milliseconds{0}, milliseconds{0}, milliseconds{0},
                                            milliseconds{1000}, milliseconds{1000},
                                            milliseconds{1000}, milliseconds{2000}});
  // Any window of one interval holds at most 3 starts.
  for (std::size_t i = 0; i + 3 < starts.size(); ++i)
    CHECK(starts[i + 3] - starts[i] >= milliseconds{1000});
}

TEST_CASE("pacer: the window slides with the actual starts", "[pacer]") {
  FakeClock clock;
  WritePacer pacer(2, milliseconds{1000}, clock);
  pacer.acquire();  // t=0
  clock.advance(milliseconds{600});
  pacer.acquire();  // t=600
  pacer.acquire();  // must wait until the t=0 start leaves: t=1000
  CHECK(clock.sleeps == std::vector<milliseconds>{milliseconds{400}});
  pacer.acquire();  // waits until the t=600 start leaves: t=1600
  CHECK(clock.sleeps == std::vector<milliseconds>{milliseconds{400}, milliseconds{600}});
  clock.advance(milliseconds{5000});
  pacer.acquire();  // long idle: no wait
  CHECK(clock.sleeps.size() == 2);
}

TEST_CASE("pacer: several writes at once wait for enough free slots", "[pacer]") {
  FakeClock clock;
  WritePacer pacer(5, milliseconds{1000}, clock);
  pacer.acquire(3);  // t=0
  clock.advance(milliseconds{200});
  pacer.acquire(2);             // t=200, now the window is full
  CHECK(clock.sleeps.empty());  // 5 in the window: still allowed
  pacer.acquire(4);             // needs the three t=0 starts and one t=200 start gone: t=1200
  CHECK(clock.sleeps == std::vector<milliseconds>{milliseconds{1000}});
}

TEST_CASE("pacer: a count above the limit is taken in portions", "[pacer]") {
  FakeClock clock;
  WritePacer pacer(4, milliseconds{1000}, clock);
  pacer.acquire(10);  // 4 at t=0, 4 at t=1000, 2 at t=2000
  CHECK(clock.slept() == milliseconds{2000});
  pacer.acquire(2);  // still room at t=2000
  CHECK(clock.slept() == milliseconds{2000});
  pacer.acquire();  // full: next at t=3000
  CHECK(clock.slept() == milliseconds{3000});
}

TEST_CASE("pacer: pause_until holds every write", "[pacer]") {
  FakeClock clock;
  WritePacer pacer(0, milliseconds{1000}, clock);  // unlimited, but pauses still apply
  pacer.pause_until(clock.now() + milliseconds{3000});
  pacer.pause_until(clock.now() + milliseconds{1000});  // a shorter pause does not shorten it
  CHECK(pacer.paused_until() == clock.now() + milliseconds{3000});
  pacer.acquire();
  CHECK(clock.slept() == milliseconds{3000});
  pacer.acquire(50);
  CHECK(clock.slept() == milliseconds{3000});
}

TEST_CASE("pacer: pause and window combine", "[pacer]") {
  FakeClock clock;
  WritePacer pacer(1, milliseconds{1000}, clock);
  pacer.acquire();  // t=0
  pacer.pause_until(clock.now() + milliseconds{500});
  pacer.acquire();  // pause until 500, then the window until 1000
  CHECK(clock.slept() == milliseconds{1000});
}

TEST_CASE("pacer: writes == 0 is unlimited", "[pacer]") {
  FakeClock clock;
  WritePacer pacer(0, milliseconds{1000}, clock);
  for (int i = 0; i < 1000; ++i) pacer.acquire();
  pacer.acquire(10000);
  CHECK(clock.sleeps.empty());
  CHECK(pacer.writes() == 0);
  CHECK(pacer.interval() == milliseconds{1000});
}

TEST_CASE("pacer: settled writes count from their answer", "[pacer]") {
  FakeClock clock;
  WritePacer pacer(2, milliseconds{1000}, clock);
  pacer.acquire(2);  // sent at t=0 ...
  clock.advance(milliseconds{300});
  pacer.settle(2);  // ... answered at t=300: the service saw them by then
  const auto t0 = clock.now();
  pacer.acquire();
  // Not at t=1000 (a second after sending) but a second after the answer.
  CHECK(clock.now() - t0 == milliseconds{1000});
}

TEST_CASE("pacer: available says how many writes may start now", "[pacer]") {
  FakeClock clock;
  WritePacer pacer(50, milliseconds{1000}, clock);
  CHECK(pacer.available() == 50);
  pacer.acquire(20);
  pacer.acquire(20);
  CHECK(pacer.available() == 10);
  clock.advance(milliseconds{1000});
  CHECK(pacer.available() == 50);
  pacer.pause_until(clock.now() + milliseconds{10});
  CHECK(pacer.available() == 0);
  WritePacer unlimited(0, milliseconds{1000}, clock);
  CHECK(unlimited.available() > 1000);
}
