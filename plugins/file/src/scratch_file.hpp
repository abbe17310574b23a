// An anonymous temporary file (created and immediately unlinked) that is appended to and read
// back at offsets: the overflow storage for data that must not stay in memory, such as every
// anchor of a million-row file. The kernel reclaims it when the descriptor closes, even after a
// crash, so nothing is ever left behind in the folder.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace idsync::file {

class ScratchFile {
 public:
  // `dir`: where to create it; empty uses $TMPDIR or /tmp.
  explicit ScratchFile(const std::string& dir);
  ~ScratchFile();
  ScratchFile(const ScratchFile&) = delete;
  ScratchFile& operator=(const ScratchFile&) = delete;

  // Appends and returns the offset the bytes start at.
  uint64_t append(std::string_view bytes);
  // Reads `len` bytes at `offset` into `out` (from the write buffer when not flushed yet).
  void read(uint64_t offset, std::size_t len, std::string& out);

 private:
  void flush();
  int fd_ = -1;
  uint64_t flushed_ = 0;  // bytes already in the file
  std::string pending_;   // bytes after flushed_
};

}  // namespace idsync::file
