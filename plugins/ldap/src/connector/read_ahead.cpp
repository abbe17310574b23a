#include "read_ahead.hpp"

#include <chrono>
#include <utility>

namespace idsync::ldap {

namespace {

// How often a consumer waiting for a page asks the host whether to stop: the host's cancel flag
// is polled, not signalled, and a stop should not wait for a slow server's next page.
constexpr std::chrono::milliseconds cancel_poll{100};

}  // namespace

void ReadAhead::Channel::deliver(ImportedPage&& page) {
  ReadAhead& o = owner_;
  std::unique_lock lock(o.mutex_);
  o.page_taken_.wait(lock, [&] { return o.stop_.load() || o.pages_.size() < o.depth_; });
  if (o.stop_.load()) throw sdk::Stopped();
  o.pages_.push_back(std::move(page));
  o.page_ready_.notify_one();
}

ReadAhead::ReadAhead(size_t depth, Producer produce)
    : depth_(depth < 1 ? 1 : depth),
      reader_([this, produce = std::move(produce)] { run(produce); }) {}

ReadAhead::~ReadAhead() {
  {
    std::lock_guard lock(mutex_);
    stop_.store(true);
  }
  page_taken_.notify_all();
  reader_.join();
}

void ReadAhead::run(const Producer& produce) {
  std::exception_ptr failure;
  try {
    produce(channel_);
  } catch (...) {
    // Everything the producer held (a pending search to abandon) was released on this thread
    // while the exception unwound; the consumer gets only the exception.
    failure = std::current_exception();
  }
  std::lock_guard lock(mutex_);
  finished_ = true;
  failure_ = std::move(failure);
  page_ready_.notify_one();
}

std::optional<ImportedPage> ReadAhead::next(const std::function<bool()>& cancelled) {
  std::unique_lock lock(mutex_);
  for (;;) {
    lock.unlock();
    if (cancelled && cancelled()) throw sdk::Stopped();
    lock.lock();
    if (!pages_.empty()) {
      ImportedPage page = std::move(pages_.front());
      pages_.pop_front();
      page_taken_.notify_one();
      return page;
    }
    if (finished_) {
      if (failure_) std::rethrow_exception(std::exchange(failure_, nullptr));
      return std::nullopt;
    }
    page_ready_.wait_for(lock, cancel_poll, [&] { return !pages_.empty() || finished_; });
  }
}

}  // namespace idsync::ldap
