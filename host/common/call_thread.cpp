#include "common/call_thread.hpp"

#include <utility>

namespace idsync::common {

CallThread::CallThread() : thread_([this] { run(); }) {}

CallThread::~CallThread() {
  {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return !running_; });
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void CallThread::start(std::function<void()> job) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return !running_; });
  job_ = std::move(job);
  error_ = nullptr;
  running_ = true;
  lock.unlock();
  changed_.notify_all();
}

void CallThread::wait() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return !running_; });
  if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
}

bool CallThread::busy() const {
  const std::lock_guard lock(mutex_);
  return running_;
}

void CallThread::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    changed_.wait(lock, [this] { return stopping_ || running_; });
    if (running_) {
      std::function<void()> job = std::move(job_);
      lock.unlock();
      std::exception_ptr error;
      try {
        job();
      } catch (...) {
        error = std::current_exception();
      }
      job = nullptr;  // what the job captured goes before the owner learns it has returned
      lock.lock();
      error_ = error;
      running_ = false;
      changed_.notify_all();
      continue;
    }
    if (stopping_) return;
  }
}

}  // namespace idsync::common
