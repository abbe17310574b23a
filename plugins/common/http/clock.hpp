// Time as the retry and pacing code sees it. Everything that waits goes through a Clock so that
// unit tests substitute one whose sleep_for only advances its own time.
#pragma once

#include <chrono>

namespace idsync::http {

class Clock {
 public:
  virtual ~Clock() = default;
  // Monotonic time, for deadlines, windows and token lifetimes.
  virtual std::chrono::steady_clock::time_point now() = 0;
  // Calendar time, only to read HTTP-dates and to stamp JWT claims.
  virtual std::chrono::system_clock::time_point wall_now() = 0;
  virtual void sleep_for(std::chrono::milliseconds duration) = 0;
};

// The real clocks and std::this_thread::sleep_for. Stateless and thread-safe.
class SystemClock : public Clock {
 public:
  std::chrono::steady_clock::time_point now() override;
  std::chrono::system_clock::time_point wall_now() override;
  void sleep_for(std::chrono::milliseconds duration) override;
};

// A process-wide SystemClock.
Clock& system_clock();

}  // namespace idsync::http
