// A thread that runs one job at a time for the thread that owns it, so that the owner can work
// on something else meanwhile: the export step reads and prepares its next batch while a
// connector sends the current one (for a directory or a cloud service, mostly a wait on the
// network), and a step computes its next batch while the store writes the last
// (store/batch_writer.hpp).
//
// Contract:
//   - one owner thread calls start(), wait() and the destructor; never two jobs at once
//     (start() while a job runs waits for it first);
//   - wait() returns when the job has returned, and rethrows what the job threw;
//   - the destructor waits for a running job (its exception is dropped) and stops the thread,
//     so whatever a job uses must be declared before the CallThread that runs it.
#pragma once

#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>

namespace idsync::common {

class CallThread {
 public:
  CallThread();
  ~CallThread();
  CallThread(const CallThread&) = delete;
  CallThread& operator=(const CallThread&) = delete;

  void start(std::function<void()> job);
  void wait();
  bool busy() const;

 private:
  void run();

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::function<void()> job_;
  bool running_ = false;  // a job is given and has not returned
  bool stopping_ = false;
  std::exception_ptr error_;
  std::thread thread_;  // last: started once the state above exists
};

}  // namespace idsync::common
