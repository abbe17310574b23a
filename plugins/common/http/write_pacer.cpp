#include "http/write_pacer.hpp"

#include <algorithm>
#include <limits>

namespace idsync::http {

WritePacer::WritePacer(int writes, std::chrono::milliseconds interval, Clock& clock)
    : writes_(std::max(0, writes)),
      interval_(std::max(std::chrono::milliseconds{0}, interval)),
      clock_(clock) {}

int WritePacer::writes() const { return writes_; }

std::chrono::milliseconds WritePacer::interval() const { return interval_; }

std::chrono::steady_clock::time_point WritePacer::paused_until() const {
  std::lock_guard lock(mutex_);
  return paused_until_;
}

void WritePacer::pause_until(std::chrono::steady_clock::time_point until) {
  std::lock_guard lock(mutex_);
  paused_until_ = std::max(paused_until_, until);
}

std::chrono::steady_clock::duration WritePacer::wait_needed(
    std::chrono::steady_clock::time_point now, int count) {
  if (now < paused_until_) return paused_until_ - now;
  if (writes_ == 0) return {};
  // Starts at or before now - interval no longer count.
  while (!starts_.empty() && starts_.front() + interval_ <= now) starts_.pop_front();
  const auto free = writes_ - static_cast<int>(starts_.size());
  if (free >= count) return {};
  // The (count - free)-th oldest start has to leave the window first.
  return starts_[static_cast<std::size_t>(count - free - 1)] + interval_ - now;
}

void WritePacer::settle(int count) {
  std::lock_guard lock(mutex_);
  const auto now = clock_.now();
  // The newest starts are this caller's: a client sends its writes one request at a time.
  for (auto it = starts_.rbegin(); it != starts_.rend() && count > 0; ++it, --count)
    *it = std::max(*it, now);
}

int WritePacer::available() const {
  std::lock_guard lock(mutex_);
  const auto now = clock_.now();
  if (now < paused_until_) return 0;
  if (writes_ == 0) return std::numeric_limits<int>::max();
  int in_window = 0;
  for (const auto& start : starts_) in_window += start + interval_ > now ? 1 : 0;
  return writes_ - in_window;
}

void WritePacer::acquire(int count) {
  while (count > 0) {
    const int portion = writes_ == 0 ? count : std::min(count, writes_);
    for (;;) {
      std::chrono::steady_clock::duration wait;
      {
        std::lock_guard lock(mutex_);
        const auto now = clock_.now();
        wait = wait_needed(now, portion);
        if (wait <= std::chrono::steady_clock::duration::zero()) {
          if (writes_ > 0) starts_.insert(starts_.end(), static_cast<std::size_t>(portion), now);
          break;
        }
      }
      clock_.sleep_for(std::chrono::ceil<std::chrono::milliseconds>(wait));
    }
    count -= portion;
  }
}

}  // namespace idsync::http
