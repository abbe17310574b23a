#include "input_buffer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <idsync/sdk.hpp>

namespace idsync::file {

InputFile::InputFile(const std::string& path) : path_(path) {
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0)
    throw sdk::Error(IDSYNC_ERR_CONNECTION, path + ": cannot open: " + std::strerror(errno));
}

InputFile::~InputFile() {
  if (fd_ >= 0) ::close(fd_);
}

InputBuffer::InputBuffer(const InputFile& file, std::size_t capacity)
    : file_(file), data_(std::make_unique<char[]>(capacity)), capacity_(capacity) {}

void InputBuffer::seek(uint64_t offset) {
  base_ = offset;
  end_ = 0;
  eof_ = false;
}

bool InputBuffer::refill(std::size_t keep) {
  if (keep > end_) keep = end_;
  if (keep > 0) {
    std::memmove(data_.get(), data_.get() + keep, end_ - keep);
    end_ -= keep;
    base_ += keep;
  }
  if (eof_) return false;
  if (end_ == capacity_) {
    // One record is larger than the buffer: grow. Parsers bound the record size themselves.
    auto bigger = std::make_unique<char[]>(capacity_ * 2);
    std::memcpy(bigger.get(), data_.get(), end_);
    data_ = std::move(bigger);
    capacity_ *= 2;
  }
  for (;;) {
    // pread: the buffer keeps its own position, so several readers may share one descriptor.
    const ssize_t n =
        ::pread(file_.fd(), data_.get() + end_, capacity_ - end_, static_cast<off_t>(base_ + end_));
    if (n < 0) {
      if (errno == EINTR) continue;
      throw sdk::Error(IDSYNC_ERR_CONNECTION,
                       file_.path() + ": read failed: " + std::strerror(errno));
    }
    if (n == 0) {
      eof_ = true;
      return false;
    }
    end_ += static_cast<std::size_t>(n);
    return true;
  }
}

}  // namespace idsync::file
