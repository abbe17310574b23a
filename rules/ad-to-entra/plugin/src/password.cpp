#include "password.hpp"

#include <sys/random.h>

#include <cerrno>
#include <stdexcept>
#include <string>
#include <system_error>
#include <utility>

namespace ad_to_entra {

namespace {

// A uniformly random index below `bound` (at most 256): bytes at or above the largest multiple
// of `bound` are drawn again, so every index is equally likely.
std::size_t uniform_below(std::size_t bound, RandomBytes random) {
  const std::size_t limit = 256 / bound * bound;
  for (;;) {
    unsigned char byte = 0;
    random(&byte, 1);
    if (byte < limit) return byte % bound;
  }
}

char pick(std::string_view set, RandomBytes random) {
  return set[uniform_below(set.size(), random)];
}

}  // namespace

void system_random_bytes(unsigned char* out, std::size_t count) {
  while (count > 0) {
    const ssize_t got = getrandom(out, count, 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      throw std::system_error(errno, std::generic_category(), "getrandom");
    }
    out += got;
    count -= static_cast<std::size_t>(got);
  }
}

std::string random_password(std::size_t length, RandomBytes random) {
  if (length < kMinPasswordLength || length > kMaxPasswordLength)
    throw std::invalid_argument("a password length must be " + std::to_string(kMinPasswordLength) +
                                " to " + std::to_string(kMaxPasswordLength) + ", got " +
                                std::to_string(length));
  const std::string all =
      std::string(kUpper) + std::string(kLower) + std::string(kDigits) + std::string(kSymbols);
  std::string out;
  out.reserve(length);
  for (std::string_view set : {kUpper, kLower, kDigits, kSymbols}) out += pick(set, random);
  while (out.size() < length) out += pick(all, random);
  // Fisher-Yates: the four guaranteed characters end up anywhere.
  for (std::size_t i = out.size() - 1; i > 0; --i)
    std::swap(out[i], out[uniform_below(i + 1, random)]);
  return out;
}

}  // namespace ad_to_entra
