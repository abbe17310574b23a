// A reader thread that makes import pages while the thread that started it pushes the earlier
// ones into the host, at most `depth` pages ahead so that memory holds a few pages, never the
// whole directory.
//
// Only the reader runs the producer; only the starting thread calls next(), and it alone talks
// to the host. What the producer throws reaches next() after every page delivered before it, as
// the same exception (an sdk::Error keeps its kind, status and message). Destroying the
// ReadAhead stops the producer: deliver() and stop_requested() say so, and a producer blocked
// elsewhere (on the network) is expected to poll stop_requested() and give up; the destructor
// then joins it.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

#include "imported_page.hpp"

namespace idsync::ldap {

class ReadAhead {
 public:
  // The producer's side, valid while the producer runs.
  class Channel {
   public:
    // Hands `page` over; blocks while `depth` pages wait. Throws sdk::Stopped once the consumer
    // asked to stop.
    void deliver(ImportedPage&& page);
    // Whether the consumer asked to stop; cheap enough to poll between messages.
    bool stop_requested() const { return owner_.stop_.load(std::memory_order_relaxed); }

   private:
    friend class ReadAhead;
    explicit Channel(ReadAhead& owner) : owner_(owner) {}
    ReadAhead& owner_;
  };
  using Producer = std::function<void(Channel&)>;

  // Starts the reader thread running `produce`; it ends when `produce` returns or throws.
  ReadAhead(size_t depth, Producer produce);
  // Asks the producer to stop and joins it.
  ~ReadAhead();
  ReadAhead(const ReadAhead&) = delete;
  ReadAhead& operator=(const ReadAhead&) = delete;

  // The next page; nullopt once the producer returned and every page was taken. Rethrows what
  // the producer threw, in its place after the pages before it. Throws sdk::Stopped when
  // `cancelled` (asked here on this thread, between pages and while waiting) says so.
  std::optional<ImportedPage> next(const std::function<bool()>& cancelled = nullptr);

 private:
  void run(const Producer& produce);

  const size_t depth_;
  std::mutex mutex_;
  std::condition_variable page_ready_;  // the consumer waits here
  std::condition_variable page_taken_;  // the producer waits here for room
  std::deque<ImportedPage> pages_;
  bool finished_ = false;
  std::exception_ptr failure_;
  std::atomic<bool> stop_{false};
  Channel channel_{*this};
  std::thread reader_;  // last: started once everything above exists
};

}  // namespace idsync::ldap
