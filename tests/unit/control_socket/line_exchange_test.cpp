// Lines over a real connection: both ways, however the bytes are cut into writes, the ends of
// the stream, the line limit, timeouts and a peer that went away.
#include <poll.h>
#include <signal.h>

#include <catch2/catch.hpp>
#include <thread>

#include "support.hpp"

using Catch::Matchers::Contains;
using idsync::control::Connection;
using idsync::control::ControlError;
using idsync::control::kMaxLineBytes;
using idsync::testing::Background;
using idsync::testing::Link;
using idsync::testing::send_raw;
using namespace std::chrono_literals;

namespace {

using Clock = std::chrono::steady_clock;

// Reads what is left on `fd` until the peer's end of stream; bounded by `within` per read.
std::size_t drain(int fd, std::chrono::milliseconds within) {
  std::size_t total = 0;
  char chunk[64 * 1024];
  for (;;) {
    pollfd entry{fd, POLLIN, 0};
    if (::poll(&entry, 1, static_cast<int>(within.count())) != 1)
      throw std::runtime_error("the stream did not end");
    const ssize_t got = ::recv(fd, chunk, sizeof chunk, 0);
    if (got < 0) throw std::runtime_error("recv failed");
    if (got == 0) return total;
    total += static_cast<std::size_t>(got);
  }
}

}  // namespace

TEST_CASE("lines travel both ways") {
  Link link;
  link.cli.write_line("status");
  CHECK(link.daemon.read_line(1s) == "status");
  link.daemon.write_line(R"({"state": "idle"})");
  CHECK(link.cli.read_line(1s) == R"({"state": "idle"})");
  link.cli.write_line("");
  CHECK(link.daemon.read_line(1s) == "");
}

TEST_CASE("several lines in one write come out one at a time") {
  Link link;
  send_raw(link.cli.fd(), "one\ntwo\n\nthree\n");
  CHECK(link.daemon.read_line(1s) == "one");
  CHECK(link.daemon.read_line(1s) == "two");
  CHECK(link.daemon.read_line(1s) == "");
  CHECK(link.daemon.read_line(1s) == "three");
}

TEST_CASE("a line split across writes is put together, keeping what came after") {
  Link link;
  send_raw(link.cli.fd(), "first\nsec");
  CHECK(link.daemon.read_line(1s) == "first");
  // The rest arrives while read_line waits with "sec" in its buffer.
  Background late([&] {
    std::this_thread::sleep_for(30ms);
    send_raw(link.cli.fd(), "o");
    std::this_thread::sleep_for(10ms);
    send_raw(link.cli.fd(), "nd\nthi");
  });
  CHECK(link.daemon.read_line(2s) == "second");
  late.join();
  send_raw(link.cli.fd(), "rd\n");
  CHECK(link.daemon.read_line(1s) == "third");
}

TEST_CASE("a moved connection keeps the lines it had buffered") {
  Link link;
  send_raw(link.cli.fd(), "a\nb\n");
  CHECK(link.daemon.read_line(1s) == "a");
  Connection moved = std::move(link.daemon);
  CHECK(link.daemon.fd() == -1);
  CHECK(moved.read_line(1s) == "b");
}

TEST_CASE("end of stream is nullopt, and finish_writing half-closes") {
  Link link;
  link.cli.write_line("last");
  link.cli.finish_writing();
  CHECK(link.daemon.read_line(1s) == "last");
  CHECK(link.daemon.read_line(1s) == std::nullopt);
  CHECK(link.daemon.read_line(1s) == std::nullopt);
  // The other direction still works until the daemon finishes too.
  link.daemon.write_line("reply");
  CHECK(link.cli.read_line(1s) == "reply");
  link.daemon.finish_writing();
  CHECK(link.cli.read_line(1s) == std::nullopt);
}

TEST_CASE("a stream that ends in the middle of a line throws") {
  Link link;
  send_raw(link.cli.fd(), "complete\nparti");
  { Connection closing = std::move(link.cli); }
  CHECK(link.daemon.read_line(1s) == "complete");
  CHECK_THROWS_WITH(link.daemon.read_line(1s), Contains("middle of a line"));
}

TEST_CASE("a line of the maximum length is read") {
  Link link;
  const std::string longest(kMaxLineBytes, 'a');
  // Larger than the socket's buffer: the writer needs a reader at the same time.
  Background writer([&] { link.cli.write_line(longest); },
                    [&] { ::shutdown(link.daemon.fd(), SHUT_RDWR); });
  const auto line = link.daemon.read_line(5s);
  writer.join();
  REQUIRE(line);
  CHECK(line->size() == kMaxLineBytes);
  CHECK(*line == longest);
}

TEST_CASE("a longer line throws without reading more than one byte past the limit") {
  Link link;
  const std::string flood = std::string(3 * kMaxLineBytes, 'b') + "\n";
  Background writer(
      [&] {
        send_raw(link.cli.fd(), flood);
        link.cli.finish_writing();
      },
      [&] { ::shutdown(link.daemon.fd(), SHUT_RDWR); });
  CHECK_THROWS_WITH(link.daemon.read_line(5s), Contains("longer than the limit of 1048576 bytes"));
  // Whatever read_line did not take is still in the socket.
  const std::size_t left = drain(link.daemon.fd(), 5s);
  writer.join();
  const std::size_t taken = flood.size() - left;
  CHECK(taken == kMaxLineBytes + 1);
}

TEST_CASE("read_line throws when no line comes in time") {
  Link link;
  auto start = Clock::now();
  CHECK_THROWS_WITH(link.daemon.read_line(50ms), "no request within 0.05 s");
  auto waited = Clock::now() - start;
  CHECK(waited >= 50ms);
  CHECK(waited < 1s);

  // The timeout bounds the whole line, not each piece of it.
  Link slow;
  send_raw(slow.cli.fd(), "sta");
  start = Clock::now();
  CHECK_THROWS_WITH(slow.daemon.read_line(50ms), "no request within 0.05 s");
  waited = Clock::now() - start;
  CHECK(waited >= 50ms);
  CHECK(waited < 1s);
}

TEST_CASE("a line already buffered is returned even with no time to wait") {
  Link link;
  send_raw(link.cli.fd(), "ready\n");
  CHECK(link.daemon.read_line(1s) == "ready");
  send_raw(link.cli.fd(), "queued\n");
  std::this_thread::sleep_for(10ms);  // let it arrive; a zero timeout only takes what is there
  CHECK(link.daemon.read_line(0ms) == "queued");
}

TEST_CASE("writing to a peer that went away throws instead of raising SIGPIPE") {
  Link link;
  { Connection closing = std::move(link.cli); }
  // With SIGPIPE blocked, a write that raised it would leave it pending rather than end the test.
  sigset_t pipe_only, previous, pending;
  sigemptyset(&pipe_only);
  sigaddset(&pipe_only, SIGPIPE);
  REQUIRE(pthread_sigmask(SIG_BLOCK, &pipe_only, &previous) == 0);
  CHECK_THROWS_WITH(link.daemon.write_line("progress 10%"), Contains("closed"));
  sigpending(&pending);
  const bool raised = sigismember(&pending, SIGPIPE) == 1;
  if (raised) {
    const timespec now{0, 0};
    sigtimedwait(&pipe_only, nullptr, &now);
  }
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  CHECK_FALSE(raised);
}

TEST_CASE("write_line refuses what the peer could not read back as one line") {
  Link link;
  CHECK_THROWS_AS(link.cli.write_line("two\nlines"), std::invalid_argument);
  CHECK_THROWS_AS(link.cli.write_line(std::string(kMaxLineBytes + 1, 'x')), std::invalid_argument);
  // Nothing was sent.
  link.cli.finish_writing();
  CHECK(link.daemon.read_line(1s) == std::nullopt);
}

TEST_CASE("a timeout is a ControlError") {
  Link link;
  CHECK_THROWS_AS(link.daemon.read_line(1ms), ControlError);
}
