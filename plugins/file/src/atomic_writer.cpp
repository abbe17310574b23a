#include "atomic_writer.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <idsync/sdk.hpp>

namespace idsync::file {
namespace {

constexpr std::size_t kBufferSize = 1 << 20;

std::string folder_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace

void sync_directory(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;  // durability is best effort on file systems that refuse this
  ::fsync(fd);
  ::close(fd);
}

AtomicWriter::AtomicWriter(std::string target, mode_t new_file_mode) : target_(std::move(target)) {
  const std::string dir = folder_of(target_);
  const auto slash = target_.find_last_of('/');
  const std::string base = slash == std::string::npos ? target_ : target_.substr(slash + 1);
  // A dot name: tools that pick up "*.csv" from the folder do not see half-written files.
  temp_ = dir + "/." + base + ".tmp-XXXXXX";
  fd_ = ::mkstemp(temp_.data());
  if (fd_ < 0)
    throw sdk::Error(IDSYNC_ERR_PERMISSION,
                     "cannot create a temporary file in " + dir + ": " + std::strerror(errno));
  struct stat st {};
  const mode_t mode = ::stat(target_.c_str(), &st) == 0 ? (st.st_mode & 07777) : new_file_mode;
  ::fchmod(fd_, mode);
  buffer_.reserve(kBufferSize);
}

AtomicWriter::~AtomicWriter() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_) ::unlink(temp_.c_str());
}

void AtomicWriter::flush() {
  std::size_t done = 0;
  while (done < buffer_.size()) {
    const ssize_t n = ::pwrite(fd_, buffer_.data() + done, buffer_.size() - done,
                               static_cast<off_t>(written_ + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      throw sdk::Error(IDSYNC_ERR_INTERNAL, temp_ + ": write failed: " + std::strerror(errno));
    }
    done += static_cast<std::size_t>(n);
  }
  written_ += buffer_.size();
  buffer_.clear();
}

void AtomicWriter::write(std::string_view bytes) {
  buffer_.append(bytes);
  if (buffer_.size() >= kBufferSize) flush();
}

void AtomicWriter::write_at(uint64_t offset, std::string_view bytes) {
  flush();
  if (::pwrite(fd_, bytes.data(), bytes.size(), static_cast<off_t>(offset)) !=
      static_cast<ssize_t>(bytes.size()))
    throw sdk::Error(IDSYNC_ERR_INTERNAL, temp_ + ": write failed: " + std::strerror(errno));
}

void AtomicWriter::commit() {
  flush();
  if (::fsync(fd_) != 0)
    throw sdk::Error(IDSYNC_ERR_INTERNAL, temp_ + ": fsync failed: " + std::strerror(errno));
  ::close(fd_);
  fd_ = -1;
  if (::rename(temp_.c_str(), target_.c_str()) != 0)
    throw sdk::Error(IDSYNC_ERR_PERMISSION,
                     "cannot replace " + target_ + ": " + std::strerror(errno));
  committed_ = true;
  sync_directory(folder_of(target_));
}

}  // namespace idsync::file
