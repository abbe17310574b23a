// The full import's reader thread (ReadAhead): pages reach the consuming thread in order, at
// most `depth` ahead of it; what the producer throws arrives after exactly the pages delivered
// before it, as the same exception; a stop (the consumer's host cancelling, or the consumer
// going away) ends a producer that is ahead, blocked on a full queue or waiting on the network,
// and the destructor joins it promptly. Producers here are stand-ins for the LDAP reader.
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <idsync/sdk.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>

#include "read_ahead.hpp"

using namespace idsync::ldap;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

ImportedPage numbered(uint64_t n) {
  ImportedPage page;
  page.passed = n;
  page.last_dn = "uid=p" + std::to_string(n) + ",ou=people,dc=example,dc=com";
  page.objects.resize(3);
  return page;
}

}  // namespace

TEST_CASE("pages arrive in order and the end is nullopt") {
  ReadAhead reader(2, [](ReadAhead::Channel& channel) {
    for (uint64_t n = 1; n <= 5; ++n) channel.deliver(numbered(n));
  });
  for (uint64_t n = 1; n <= 5; ++n) {
    auto page = reader.next();
    REQUIRE(page);
    CHECK(page->passed == n);
    CHECK(page->objects.size() == 3);
  }
  CHECK_FALSE(reader.next());
  CHECK_FALSE(reader.next());
}

TEST_CASE("an error after N pages comes after exactly those N pages, with kind, status, message") {
  for (const auto consumer_delay : {0ms, 20ms}) {
    ReadAhead reader(2, [](ReadAhead::Channel& channel) {
      for (uint64_t n = 1; n <= 3; ++n) channel.deliver(numbered(n));
      throw idsync::sdk::Error(IDSYNC_ERR_CONNECTION, "the server went away", IDSYNC_RETRY);
    });
    // A slow consumer finds the error already there behind the pages; a quick one waits for it.
    std::this_thread::sleep_for(consumer_delay);
    for (uint64_t n = 1; n <= 3; ++n) {
      auto page = reader.next();
      REQUIRE(page);
      CHECK(page->passed == n);
    }
    try {
      reader.next();
      FAIL("no error");
    } catch (const idsync::sdk::Error& e) {
      CHECK(e.kind() == IDSYNC_ERR_CONNECTION);
      CHECK(e.status() == IDSYNC_RETRY);
      CHECK(std::string(e.what()) == "the server went away");
    }
    CHECK_FALSE(reader.next());  // once only
  }
}

TEST_CASE("an exception of another type keeps its type") {
  ReadAhead reader(1, [](ReadAhead::Channel&) { throw std::invalid_argument("bad DN \"x\""); });
  CHECK_THROWS_AS(reader.next(), std::invalid_argument);
}

TEST_CASE("the reader is never more than depth pages ahead") {
  constexpr size_t depth = 2;
  std::atomic<uint64_t> delivered{0};
  ReadAhead reader(depth, [&](ReadAhead::Channel& channel) {
    for (uint64_t n = 1; n <= 30; ++n) {
      channel.deliver(numbered(n));
      ++delivered;
    }
  });
  uint64_t taken = 0;
  while (auto page = reader.next()) {
    ++taken;
    CHECK(page->passed == taken);
    std::this_thread::sleep_for(2ms);  // the producer fills the queue meanwhile
    CHECK(delivered.load() <= taken + depth);
  }
  CHECK(taken == 30);
}

TEST_CASE("a consumer that goes away stops a producer blocked on a full queue") {
  std::atomic<bool> saw_stop{false};
  std::atomic<uint64_t> delivered{0};
  std::optional<ReadAhead> reader;
  reader.emplace(2, [&](ReadAhead::Channel& channel) {
    try {
      for (uint64_t n = 1;; ++n) {
        channel.deliver(numbered(n));
        ++delivered;
      }
    } catch (const idsync::sdk::Stopped&) {
      saw_stop = true;
      throw;
    }
  });
  REQUIRE(reader->next());
  // Let the producer run ahead until the queue is full and it blocks.
  const auto deadline = Clock::now() + 5s;
  while (delivered.load() < 3 && Clock::now() < deadline) std::this_thread::sleep_for(1ms);
  std::this_thread::sleep_for(20ms);
  CHECK(delivered.load() == 3);  // the one taken and two waiting
  // Gone with pages queued and the producer blocked: stopped and joined at once.
  const auto start = Clock::now();
  reader.reset();
  CHECK(Clock::now() - start < 1s);
  CHECK(saw_stop.load());
}

TEST_CASE("a cancelled host stops the consumer between pages, even with pages ready") {
  std::atomic<bool> cancel{false};
  ReadAhead reader(2, [](ReadAhead::Channel& channel) {
    for (uint64_t n = 1; n <= 4; ++n) channel.deliver(numbered(n));
  });
  const auto cancelled = [&] { return cancel.load(); };
  REQUIRE(reader.next(cancelled));
  std::this_thread::sleep_for(20ms);  // pages 2 and 3 wait
  cancel = true;
  CHECK_THROWS_AS(reader.next(cancelled), idsync::sdk::Stopped);
}

TEST_CASE("a cancel while the producer waits on the network is seen, and the producer joined") {
  std::atomic<bool> cancel{false};
  std::atomic<bool> producer_gave_up{false};
  const auto start = Clock::now();
  {
    ReadAhead reader(2, [&](ReadAhead::Channel& channel) {
      channel.deliver(numbered(1));
      // A server that says nothing more: the producer polls as Connection::wait_result does.
      while (!channel.stop_requested()) std::this_thread::sleep_for(10ms);
      producer_gave_up = true;
      throw idsync::sdk::Stopped();
    });
    const auto cancelled = [&] { return cancel.load(); };
    REQUIRE(reader.next(cancelled));
    std::thread host([&] {
      std::this_thread::sleep_for(50ms);
      cancel = true;
    });
    CHECK_THROWS_AS(reader.next(cancelled), idsync::sdk::Stopped);
    host.join();
  }
  CHECK(producer_gave_up.load());
  CHECK(Clock::now() - start < 2s);
}
