#include "progress_meter.hpp"

#include <unistd.h>

#include <cstdio>

namespace idsync::cli {

ProgressMeter::ProgressMeter()
    : enabled_(isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

void ProgressMeter::update(const std::string& step, const store::ImportCounters& c) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (drawn_ && now - last_draw_ < std::chrono::milliseconds(250)) return;
  last_draw_ = now;
  const double seconds = std::chrono::duration<double>(now - start_).count();
  const double rate = seconds > 0 ? static_cast<double>(c.objects) / seconds : 0;
  std::fprintf(stderr, "\r\033[K%s: %llu objects, %.0f/s (%llu adds, %llu updates, %llu deletes)",
               step.c_str(), static_cast<unsigned long long>(c.objects), rate,
               static_cast<unsigned long long>(c.adds), static_cast<unsigned long long>(c.updates),
               static_cast<unsigned long long>(c.deletes));
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressMeter::finish() {
  if (drawn_) std::fputs("\r\033[K", stderr);
  drawn_ = false;
}

}  // namespace idsync::cli
