// Pacing of writes against a web service: "no more than `writes` write requests start within
// any `interval`", the administrator's answer to a service's write throttling. Shared by every
// write path of one connector (single requests and batch chunks), and thread-safe.
//
// Besides the sliding window, a 429 on a write pauses all writes: services throttle per client,
// so one throttled write means the others would be refused too.
#pragma once

#include <chrono>
#include <deque>
#include <mutex>

#include "http/clock.hpp"

namespace idsync::http {

class WritePacer {
 public:
  // `writes` == 0: no limit (pause_until still applies). `clock` must outlive the pacer.
  WritePacer(int writes, std::chrono::milliseconds interval, Clock& clock);

  // Blocks (through clock.sleep_for, without holding the lock) until `count` more writes may
  // start, then records them as started now. The window is sliding: a write may start at t when
  // fewer than `writes` recorded starts lie in (t - interval, t]. A `count` above `writes` is
  // taken in portions of `writes`, each waiting for the window; callers keep batches within
  // writes() so that never happens.
  void acquire(int count = 1);

  // The last `count` writes acquired were answered now: they count from now on. A service
  // sees a write when it arrives, which is after acquire() and before the answer; counting
  // from the answer keeps its view within `writes` per interval too, whatever the network or
  // a first connection's handshake delayed.
  void settle(int count);

  // How many writes could start now without waiting (0 while paused; `writes`, or a large
  // number when unlimited, with an empty window). Lets a caller size a batch to the window.
  int available() const;

  // No write starts before `until` (a later call can only extend the pause).
  void pause_until(std::chrono::steady_clock::time_point until);

  int writes() const;
  std::chrono::milliseconds interval() const;
  // The end of the current pause (a time_point in the past when there is none).
  std::chrono::steady_clock::time_point paused_until() const;

 private:
  // The time to wait before `count` writes may start at `now`; zero means record them now.
  std::chrono::steady_clock::duration wait_needed(std::chrono::steady_clock::time_point now,
                                                  int count);

  const int writes_;
  const std::chrono::milliseconds interval_;
  Clock& clock_;
  mutable std::mutex mutex_;
  std::deque<std::chrono::steady_clock::time_point> starts_;  // oldest first, at most writes_
  std::chrono::steady_clock::time_point paused_until_{};
};

}  // namespace idsync::http
