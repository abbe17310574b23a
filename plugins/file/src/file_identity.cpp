#include "file_identity.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <idsync/sdk.hpp>

namespace idsync::file {
namespace {

FileIdentity from_stat(const struct stat& st) {
  FileIdentity id;
  id.device = static_cast<uint64_t>(st.st_dev);
  id.inode = static_cast<uint64_t>(st.st_ino);
  id.size = static_cast<uint64_t>(st.st_size);
  id.mtime_ns = static_cast<uint64_t>(st.st_mtim.tv_sec) * 1000000000ull +
                static_cast<uint64_t>(st.st_mtim.tv_nsec);
  return id;
}

}  // namespace

FileIdentity identity_of_fd(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0)
    throw sdk::Error(IDSYNC_ERR_CONNECTION, std::string("fstat failed: ") + std::strerror(errno));
  return from_stat(st);
}

std::optional<FileIdentity> identity_of_path(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return std::nullopt;
    throw sdk::Error(IDSYNC_ERR_CONNECTION, path + ": " + std::strerror(errno));
  }
  return from_stat(st);
}

std::string describe(const FileIdentity& id) {
  return "inode " + std::to_string(id.inode) + ", " + std::to_string(id.size) + " bytes, mtime " +
         std::to_string(id.mtime_ns / 1000000000ull) + "." +
         std::to_string(id.mtime_ns % 1000000000ull);
}

}  // namespace idsync::file
