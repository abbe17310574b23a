// Replaces a file atomically: everything is written to a temporary file in the same folder
// (same file system, so rename is atomic), which is fsynced and then renamed over the target,
// and the folder is fsynced so the rename itself survives a crash. A reader of the target sees
// either the old or the new content, never a mix; if anything fails or the writer is destroyed
// without commit(), the temporary file is removed and the target is untouched.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace idsync::file {

class AtomicWriter {
 public:
  // `new_file_mode` applies when the target does not exist yet; an existing target keeps its
  // permission bits.
  explicit AtomicWriter(std::string target, mode_t new_file_mode = 0640);
  ~AtomicWriter();
  AtomicWriter(const AtomicWriter&) = delete;
  AtomicWriter& operator=(const AtomicWriter&) = delete;

  void write(std::string_view bytes);
  // Overwrites bytes already written (a header whose counts are known only at the end).
  void write_at(uint64_t offset, std::string_view bytes);
  uint64_t size() const { return written_ + buffer_.size(); }

  void commit();

  const std::string& temp_path() const { return temp_; }

 private:
  void flush();
  std::string target_;
  std::string temp_;
  int fd_ = -1;
  uint64_t written_ = 0;
  std::string buffer_;
  bool committed_ = false;
};

// fsyncs a folder so that a rename or unlink inside it is durable.
void sync_directory(const std::string& dir);

}  // namespace idsync::file
