#include "scratch_file.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <idsync/sdk.hpp>

namespace idsync::file {
namespace {

[[noreturn]] void fail(const std::string& what) {
  throw sdk::Error(IDSYNC_ERR_INTERNAL, "scratch file: " + what + ": " + std::strerror(errno));
}

}  // namespace

ScratchFile::ScratchFile(const std::string& dir) {
  std::string base = dir;
  if (base.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    base = tmp && *tmp ? tmp : "/tmp";
  }
  std::string templ = base + "/.idsync-file-scratch-XXXXXX";
  fd_ = ::mkstemp(templ.data());
  if (fd_ < 0) fail("cannot create one in " + base);
  ::unlink(templ.c_str());
  pending_.reserve(1 << 20);
}

ScratchFile::~ScratchFile() {
  if (fd_ >= 0) ::close(fd_);
}

uint64_t ScratchFile::append(std::string_view bytes) {
  const uint64_t at = flushed_ + pending_.size();
  pending_.append(bytes);
  if (pending_.size() >= (1 << 20)) flush();
  return at;
}

void ScratchFile::flush() {
  std::size_t done = 0;
  while (done < pending_.size()) {
    const ssize_t n = ::pwrite(fd_, pending_.data() + done, pending_.size() - done,
                               static_cast<off_t>(flushed_ + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("write failed");
    }
    done += static_cast<std::size_t>(n);
  }
  flushed_ += pending_.size();
  pending_.clear();
}

void ScratchFile::read(uint64_t offset, std::size_t len, std::string& out) {
  if (offset + len > flushed_) flush();
  out.resize(len);
  std::size_t done = 0;
  while (done < len) {
    const ssize_t n =
        ::pread(fd_, out.data() + done, len - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail("read failed");
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace idsync::file
