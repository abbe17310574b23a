// The on-disk form of what the content-sync delta source remembers about the anchors it
// delivered (see known_anchors.hpp for what the records mean): an append-only journal file of
// checksummed records, and base files holding one full import's anchors as 16-byte entryUUIDs.
//
// Crash safety: a record is appended with one write and fsync'd; a record cut short by a crash
// (or otherwise corrupt) ends the journal for readers and is dropped before the next append.
// The journal is only ever replaced whole, through a temporary file and rename.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "entry_uuid.hpp"

namespace idsync::ldap {

struct JournalRecord {
  enum class Type : uint8_t {
    base = 1,   // a full import ended at `from`; its anchors are in `file`
    adds = 2,   // a delta import from `from` is about to commit a page with these anchors
    delta = 3,  // a delta import from `from` ends at `to` with these additions and deletions
  };
  Type type = Type::delta;
  std::string from;
  std::string to;
  std::string file;            // base: the base file's name in the journal's folder
  uint64_t count = 0;          // base: how many anchors the file holds
  uint64_t file_checksum = 0;  // base: checksum() of those count * 16 bytes
  std::vector<Uuid> added;
  std::vector<Uuid> deleted;
};

// FNV-1a, 64 bits: detects torn and altered records and base files (not an adversary).
uint64_t checksum(std::string_view bytes, uint64_t seed = 14695981039346656037ull);

class AnchorJournal {
 public:
  explicit AnchorJournal(std::string path) : path_(std::move(path)) {}

  // Every complete record in order; stops at a torn or corrupt record. Throws sdk::Error
  // (INTERNAL) when the file exists but cannot be read.
  std::vector<JournalRecord> read_all() const;
  // Appends durably. Throws sdk::Error (INTERNAL) naming the file when that fails.
  void append(const JournalRecord& record);
  // Replaces the journal with `records`, atomically.
  void rewrite(const std::vector<JournalRecord>& records);
  // Bytes on disk; 0 when there is no journal yet.
  uint64_t size() const;

 private:
  // The offset after the last good record (the file is truncated there before appending).
  uint64_t valid_end();

  std::string path_;
  std::optional<uint64_t> known_end_;  // valid_end() as last seen, while the size matches
};

// Base files: raw 16-byte anchors. All throw sdk::Error (INTERNAL) naming the file on I/O
// failure, except read_base_file, which returns nullopt when the file is missing, too short or
// does not match `expected_checksum` (the base is then unknown, not an error).
// Writes a base file whole (through a temporary file and rename); returns its checksum.
uint64_t write_base_file(const std::string& path, const std::vector<Uuid>& anchors);
// A full import's page: drops what the file holds after the first `before` anchors (pages of an
// interrupted run that were never committed) and appends `anchors`. False when the file holds
// fewer than `before` (its beginning is lost): it is then emptied, and stays unusable.
bool append_to_base_file(const std::string& path, uint64_t before,
                         const std::vector<Uuid>& anchors);
// The end of a full import: keeps the first `count` anchors, syncs the file and returns their
// checksum; nullopt when the file holds fewer.
std::optional<uint64_t> seal_base_file(const std::string& path, uint64_t count);
std::optional<std::vector<Uuid>> read_base_file(const std::string& path, uint64_t count,
                                                uint64_t expected_checksum);

}  // namespace idsync::ldap
