// Snapshots for delta import by comparison ("snapshot" delta mode).
//
// A snapshot lists, for every object of one import, its anchor, object type and a 64-bit hash of
// its content. Objects themselves are never kept: a delta import streams the current file,
// hashes each object and compares with the snapshot, so memory holds one small slot per object
// (see HashIndex) and the anchors stay on disk. The anchors are in the file because a DELETE
// must name the anchor of an object that is no longer in the input.
//
// Each completed import writes a new generation, state_dir/snapshot-<generation>.bin, through
// AtomicWriter (write, fsync, rename). The watermark names the generation and a random nonce, so
// a delta import always compares against exactly the state the host last saw, and a watermark
// from another state folder (or from before the folder was wiped) is refused rather than
// silently compared against something else. The newest two generations are kept, so a delta
// import whose end was never recorded by the host (crash between commit and import_end) can run
// again from the previous watermark.
//
// File layout, little-endian:
//   header  "IDSYNCS\1" | u32 layout version | u32 0 | u64 generation | u64 nonce
//           | u64 configuration fingerprint | u64 entry count
//   entry   u64 anchor hash | u64 content hash | u16 type length | u32 anchor length | type
//           | anchor
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "atomic_writer.hpp"

namespace idsync::file {

struct SnapshotHeader {
  uint64_t generation = 0;
  uint64_t nonce = 0;
  uint64_t config = 0;
  uint64_t count = 0;
};

struct SnapshotEntry {
  uint64_t offset = 0;  // of the entry in the file
  uint64_t anchor_hash = 0;
  uint64_t content_hash = 0;
  std::string_view object_type;
  std::string_view anchor;
};

class SnapshotStore {
 public:
  explicit SnapshotStore(std::string dir) : dir_(std::move(dir)) {}
  const std::string& dir() const { return dir_; }
  std::string path_of(uint64_t generation) const;
  // The newest generation with a readable header, if any.
  std::optional<SnapshotHeader> latest() const;
  // The highest generation number present (0: none), without reading any file: the next
  // import writes the one after it even when the newest file is damaged.
  uint64_t latest_generation() const;
  // Removes generations older than `keep_from`.
  void prune(uint64_t keep_from) const;

 private:
  std::string dir_;
};

class SnapshotWriter {
 public:
  SnapshotWriter(const SnapshotStore& store, uint64_t generation, uint64_t config);
  void add(uint64_t anchor_hash, uint64_t content_hash, std::string_view object_type,
           std::string_view anchor);
  // Makes the generation visible (atomically) and returns its header.
  SnapshotHeader commit();

 private:
  AtomicWriter out_;
  SnapshotHeader header_;
  std::string entry_;
};

class SnapshotReader {
 public:
  // Opens a committed generation. A missing or damaged file is IDSYNC_ERR_PRECONDITION.
  explicit SnapshotReader(const std::string& path);
  ~SnapshotReader();
  SnapshotReader(const SnapshotReader&) = delete;
  SnapshotReader& operator=(const SnapshotReader&) = delete;

  const SnapshotHeader& header() const { return header_; }
  static constexpr uint64_t kFirstEntry = 48;

  // Sequential reading from kFirstEntry (or where seek() put it). Views valid until the next call.
  bool next(SnapshotEntry& entry);
  uint64_t position() const { return pos_; }
  void seek(uint64_t offset) { pos_ = offset; }
  // The entry at `offset` (random access through a read window).
  SnapshotEntry at(uint64_t offset);

 private:
  void ensure(uint64_t offset, std::size_t len);
  SnapshotEntry parse(uint64_t offset);
  std::string path_;
  int fd_ = -1;
  uint64_t size_ = 0;
  SnapshotHeader header_;
  uint64_t pos_ = kFirstEntry;
  std::string window_;
  uint64_t window_offset_ = 0;
};

uint64_t random_u64();

}  // namespace idsync::file
