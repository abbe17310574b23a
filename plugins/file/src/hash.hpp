// 64-bit hashing for anchors (duplicate detection, snapshot lookup) and for object content
// (snapshot change detection). The values are stored in snapshot files, so the function must be
// the same on every build and platform: it reads bytes explicitly as little-endian words and
// never uses std::hash. Changing it invalidates stored snapshots: bump the snapshot version.
#pragma once

#include <cstdint>
#include <string_view>

#include "record.hpp"

namespace idsync::file {

uint64_t hash64(std::string_view bytes, uint64_t seed = 0);

// The hash an anchor is indexed by (duplicate detection, snapshots).
inline uint64_t anchor_hash(std::string_view anchor) { return hash64(anchor, 0x616e63686f72ull); }

// A hash of what an imported object says: type, DN, and every attribute with its type, op and
// values. Attribute order and value order do not count (each attribute's value hashes and the
// attribute hashes are combined by addition), because a file that lists the same values in
// another order describes the same object and must not show up as a change.
uint64_t content_hash(const Record& record);

}  // namespace idsync::file
