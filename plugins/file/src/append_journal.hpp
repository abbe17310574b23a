// Crash safety for appending to the export file. Before records are appended, the file's size
// and inode are written (and fsynced) to a journal in the connector's state folder; once the
// appended bytes are fsynced, the journal goes. A journal found later means the process died
// mid-append, before the host learnt any result: the file is cut back to the recorded size, so
// nobody reads a half-written record, and the host sends those exports again.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace idsync::file {

class AppendJournal {
 public:
  // Records that `path` (of `size` bytes, inode `inode`) is about to grow. Throws
  // std::runtime_error when the journal cannot be written.
  AppendJournal(std::string state_dir, const std::string& path, uint64_t size, uint64_t inode);
  // The appended bytes are durable: forget the journal.
  void done();

 private:
  std::string journal_;
};

// Cuts `path` back when a journal in `state_dir` says an append to it did not finish, and
// forgets the journal. Safe to call at any time: without a journal, or with one about another
// file, it does nothing.
void recover_interrupted_append(const std::string& state_dir, const std::string& path);

// Appends `bytes` to the file at `path` and fsyncs it. Throws std::runtime_error naming the
// file on failure.
void append_durably(const std::string& path, std::string_view bytes);

}  // namespace idsync::file
