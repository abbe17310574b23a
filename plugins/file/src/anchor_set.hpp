// Detects duplicate anchors in a file without holding the anchors in memory.
//
// Memory holds one 16-byte slot per anchor (its 64-bit hash and where the anchor text lies in a
// scratch file). When a new anchor's hash matches an earlier one, the earlier anchor is read
// back and compared byte for byte, so a hash collision between two different anchors is never
// reported as a duplicate (and costs one small read). A real duplicate is reported with the line
// of the first occurrence.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "hash.hpp"
#include "hash_index.hpp"
#include "scratch_file.hpp"

namespace idsync::file {

class AnchorSet {
 public:
  using HashFn = uint64_t (*)(std::string_view, uint64_t);

  // `scratch_dir`: where the anchors are spilled (empty: $TMPDIR). `hash` is replaceable so
  // that tests can force collisions.
  // `expected`: how many anchors are likely (sizes the table once instead of growing it).
  explicit AnchorSet(const std::string& scratch_dir, HashFn hash = &hash64,
                     std::size_t expected = 0);

  // Adds an anchor seen at `line`. Returns 0 when it is new, else the line it was first seen on.
  uint64_t insert(std::string_view anchor, uint64_t line);

  std::size_t size() const { return index_.size(); }

 private:
  HashFn hash_;
  HashIndex<uint64_t> index_;  // anchor hash -> offset of its entry in the scratch file
  ScratchFile spill_;
  std::string entry_;
  std::string read_;
};

}  // namespace idsync::file
