// A one-line progress display for long runs on a terminal: objects staged and the rate.
// Silent when standard error is not a terminal (scripts, logs).
#pragma once

#include <chrono>
#include <string>

#include "store/import_progress.hpp"

namespace idsync::cli {

class ProgressMeter {
 public:
  ProgressMeter();
  // Redraws at most a few times a second.
  void update(const std::string& step, const store::ImportCounters& counters);
  // Ends the line, if one was drawn.
  void finish();

 private:
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace idsync::cli
