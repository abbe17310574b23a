#include "http/clock.hpp"

#include <thread>

namespace idsync::http {

std::chrono::steady_clock::time_point SystemClock::now() {
  return std::chrono::steady_clock::now();
}

std::chrono::system_clock::time_point SystemClock::wall_now() {
  return std::chrono::system_clock::now();
}

void SystemClock::sleep_for(std::chrono::milliseconds duration) {
  if (duration.count() > 0) std::this_thread::sleep_for(duration);
}

Clock& system_clock() {
  static SystemClock clock;
  return clock;
}

}  // namespace idsync::http
