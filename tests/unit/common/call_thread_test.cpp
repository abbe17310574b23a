// CallThread: one job at a time on a thread of its own, errors carried back to the owner, and
// no job outliving the object that runs it.
#include "common/call_thread.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

using idsync::common::CallThread;

TEST_CASE("jobs run in the order given, one at a time, off the owner's thread") {
  std::vector<int> order;
  std::atomic<int> running{0};
  std::atomic<int> overlaps{0};
  std::vector<std::thread::id> threads;
  {
    CallThread caller;
    for (int i = 0; i < 20; ++i) {
      // start() without wait(): the next start() must wait for this job itself.
      caller.start([&, i] {
        if (running.fetch_add(1) != 0) ++overlaps;
        std::this_thread::sleep_for(std::chrono::microseconds(200));
        order.push_back(i);
        threads.push_back(std::this_thread::get_id());
        running.fetch_sub(1);
      });
    }
    caller.wait();
    CHECK_FALSE(caller.busy());
  }
  REQUIRE(order.size() == 20);
  for (int i = 0; i < 20; ++i) CHECK(order[i] == i);
  CHECK(overlaps == 0);
  for (const auto& id : threads) CHECK(id != std::this_thread::get_id());
}

TEST_CASE("wait() rethrows what the job threw, once, and the thread takes the next job") {
  CallThread caller;
  caller.start([] { throw std::runtime_error("connector went away"); });
  CHECK_THROWS_WITH(caller.wait(), "connector went away");
  CHECK_NOTHROW(caller.wait());
  bool ran = false;
  caller.start([&] { ran = true; });
  caller.wait();
  CHECK(ran);
}

TEST_CASE("the destructor waits for a running job, whose error is dropped") {
  std::atomic<bool> finished{false};
  {
    CallThread caller;
    caller.start([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      finished = true;
      throw std::runtime_error("dropped");
    });
  }
  CHECK(finished);
}
