#include "anchor_set.hpp"

#include <cstring>

namespace idsync::file {
namespace {

// Scratch entry: line (8 bytes), length (4 bytes), anchor bytes. Host byte order: the file
// never outlives the process.
constexpr std::size_t kHeader = 12;

}  // namespace

AnchorSet::AnchorSet(const std::string& scratch_dir, HashFn hash, std::size_t expected)
    : hash_(hash), index_(expected), spill_(scratch_dir) {}

uint64_t AnchorSet::insert(std::string_view anchor, uint64_t line) {
  const uint64_t h = hash_(anchor, 0x616e63686f72ull);
  uint64_t first_line = 0;
  index_.find_if(h, [&](uint64_t& offset) {
    spill_.read(offset, kHeader, read_);
    uint64_t seen_line;
    uint32_t len;
    std::memcpy(&seen_line, read_.data(), 8);
    std::memcpy(&len, read_.data() + 8, 4);
    if (len != anchor.size()) return false;
    spill_.read(offset + kHeader, len, read_);
    if (std::string_view(read_) != anchor) return false;
    first_line = seen_line;
    return true;
  });
  if (first_line != 0) return first_line;
  entry_.resize(kHeader);
  const auto len = static_cast<uint32_t>(anchor.size());
  std::memcpy(entry_.data(), &line, 8);
  std::memcpy(entry_.data() + 8, &len, 4);
  entry_.append(anchor);
  index_.insert(h, spill_.append(entry_));
  return 0;
}

}  // namespace idsync::file
