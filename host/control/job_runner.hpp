// One job at a time (a sync cycle or a run profile) on a thread of its own, so that the daemon
// keeps answering while it runs: what runs and how far it got (idsync run-status), a stop
// request (idsync sync-cycle stop, SIGTERM) and the job's result for whoever waits for it.
//
// Contract:
//   - start() refuses while a job runs and says what runs; jobs never overlap.
//   - stop() asks the running job to end at its next page or batch boundary (the cancel flag
//     the job's steps watch); the job then ends as it would after a crash at that boundary,
//     and the next run completes the work.
//   - The result of the last job stays until the next one starts, for clients that wait.
//   - The destructor waits for a running job (ask stop() first to make that short).
#pragma once

#include <atomic>
#include <boost/json/object.hpp>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "store/import_progress.hpp"

namespace idsync::control {

struct JobStatus {
  uint64_t id = 0;
  std::string what;             // "Delta sync cycle", "run profile Full Import of HR"
  std::string origin;           // "scheduler" or "requested"
  std::string connector, step;  // the step under way; empty between steps
  std::size_t index = 0, total = 0;
  store::ImportCounters counters;  // the step's totals so far
  int64_t started_unix_ms = 0;
  int64_t step_started_unix_ms = 0;
  bool stopping = false;
};

boost::json::object to_json(const JobStatus& status);
// "Delta sync cycle (requested), step 4 of 9: HR delta_sync, started 2026-11-21T12:00:03Z".
std::string describe(const JobStatus& status);

// What a job's body reports through.
class JobContext {
 public:
  virtual ~JobContext() = default;
  virtual const std::atomic<bool>& cancel() const = 0;
  virtual void step(const std::string& connector, const std::string& step, std::size_t index,
                    std::size_t total) = 0;
  virtual void progress(const store::ImportCounters& counters) = 0;
};

class JobRunner {
 public:
  using Body = std::function<boost::json::object(JobContext&)>;
  JobRunner() = default;
  ~JobRunner();
  JobRunner(const JobRunner&) = delete;
  JobRunner& operator=(const JobRunner&) = delete;

  // Starts `body`; returns the job's id, or nothing when a job runs (then `running` holds it).
  // An exception from `body` becomes the result {"error": message}.
  std::optional<uint64_t> start(std::string what, std::string origin, Body body,
                                JobStatus* running = nullptr);
  std::optional<JobStatus> status() const;
  // Asks the running job to stop; false when none runs.
  bool stop();
  // The result of job `id` once it ended; nothing when it has not ended within `timeout` (or
  // another job has replaced it).
  std::optional<boost::json::object> wait_result(uint64_t id, std::chrono::milliseconds timeout);
  // Waits until no job runs or `timeout` passed; true when idle.
  bool wait_idle(std::chrono::milliseconds timeout);
  // Called (on the job's thread) after each job ended, with the runner's lock released.
  void on_end(std::function<void()> callback) { on_end_ = std::move(callback); }

 private:
  class Context;
  void run(Body body);

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::optional<JobStatus> running_;
  uint64_t next_id_ = 1;
  uint64_t last_id_ = 0;
  std::optional<boost::json::object> last_result_;
  std::atomic<bool> cancel_{false};
  std::thread thread_;
  std::function<void()> on_end_;
};

}  // namespace idsync::control
