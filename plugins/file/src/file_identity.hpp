// Which file, in which version. A checkpoint remembers the identity of the file it points into,
// so that resuming against a file that was replaced or rewritten is refused instead of
// continuing at a byte offset that now means something else.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace idsync::file {

struct FileIdentity {
  uint64_t device = 0;
  uint64_t inode = 0;
  uint64_t size = 0;
  uint64_t mtime_ns = 0;

  // Same file and same content version: a file rewritten in place changes size or mtime, a
  // file replaced by rename changes inode.
  bool same_version(const FileIdentity& o) const {
    return device == o.device && inode == o.inode && size == o.size && mtime_ns == o.mtime_ns;
  }
  // Same file, whatever happened to its content (for append-only change files).
  bool same_file(const FileIdentity& o) const { return device == o.device && inode == o.inode; }
};

FileIdentity identity_of_fd(int fd);
// nullopt when the file does not exist; throws for other errors.
std::optional<FileIdentity> identity_of_path(const std::string& path);

std::string describe(const FileIdentity& id);

}  // namespace idsync::file
