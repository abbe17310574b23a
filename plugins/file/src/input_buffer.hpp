// Buffered reading of an input file, for parsers that hand out string_views.
//
// Parsing through std::getline on an iostream copies every line into a std::string and is far
// too slow for a million-row CSV. Instead a parser works directly in this buffer: it scans a
// record starting at some index, and when the record runs past the buffered bytes it calls
// refill(start), which moves the unfinished record to the front, reads more (growing the buffer
// when one record does not fit) and tells the parser to scan the record again from index 0.
// Views into the buffer stay valid until the next refill.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "file_identity.hpp"

namespace idsync::file {

// An open file descriptor that closes itself.
class InputFile {
 public:
  // Opens for reading; a missing or unreadable file is IDSYNC_ERR_CONNECTION (the "system"
  // of a file connector is not reachable), naming the path.
  explicit InputFile(const std::string& path);
  ~InputFile();
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;

  int fd() const { return fd_; }
  const std::string& path() const { return path_; }
  FileIdentity identity() const { return identity_of_fd(fd_); }

 private:
  std::string path_;
  int fd_ = -1;
};

class InputBuffer {
 public:
  static constexpr std::size_t kDefaultCapacity = 1 << 20;

  explicit InputBuffer(const InputFile& file, std::size_t capacity = kDefaultCapacity);

  // Positions the buffer at a byte offset of the file (resuming, reading a header first).
  void seek(uint64_t offset);

  const char* data() const { return data_.get(); }
  // Number of valid bytes in data().
  std::size_t size() const { return end_; }
  // The file offset of data()[0].
  uint64_t base() const { return base_; }
  // True once a read returned end of file: size() is all there is.
  bool at_eof() const { return eof_; }

  // Discards the bytes before `keep` and reads more after them. Returns false when nothing more
  // could be read (end of file). Afterwards the byte that was at `keep` is at index 0.
  bool refill(std::size_t keep);

 private:
  const InputFile& file_;
  std::unique_ptr<char[]> data_;
  std::size_t capacity_;
  std::size_t end_ = 0;
  uint64_t base_ = 0;
  bool eof_ = false;
};

}  // namespace idsync::file
