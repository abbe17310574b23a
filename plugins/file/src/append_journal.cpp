#include "append_journal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include "file_identity.hpp"

namespace idsync::file {

namespace {

std::string journal_path(const std::string& state_dir) {
  return state_dir + "/export-append.journal";
}

void fsync_path(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

AppendJournal::AppendJournal(std::string state_dir, const std::string& path, uint64_t size,
                             uint64_t inode)
    : journal_(journal_path(state_dir)) {
  {
    std::ofstream out(journal_, std::ios::trunc);
    out << size << "\n" << inode << "\n" << path << "\n";
    out.flush();
    if (!out) throw std::runtime_error(journal_ + ": cannot write: " + std::strerror(errno));
  }
  fsync_path(journal_, O_RDONLY);
  fsync_path(state_dir, O_RDONLY | O_DIRECTORY);
}

void AppendJournal::done() { ::unlink(journal_.c_str()); }

void recover_interrupted_append(const std::string& state_dir, const std::string& path) {
  if (state_dir.empty()) return;
  const std::string journal = journal_path(state_dir);
  std::ifstream in(journal);
  if (!in) return;
  uint64_t size = 0, inode = 0;
  std::string recorded;
  in >> size >> inode;
  in.ignore(1);
  std::getline(in, recorded);
  // A journal about another file (append mode appends to the change file and, when folding, to
  // the state file) is left for the call about that file.
  if (in && recorded != path) return;
  const auto id = identity_of_path(path);
  // Only the file the journal names, as it was then: a file replaced since is not ours to cut.
  if (in && id && id->inode == inode && id->size > size) {
    if (::truncate(path.c_str(), static_cast<off_t>(size)) != 0)
      throw std::runtime_error(path +
                               ": cannot undo an interrupted export: " + std::strerror(errno));
    fsync_path(path, O_RDONLY);
  }
  ::unlink(journal.c_str());
}

void append_durably(const std::string& path, std::string_view bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd < 0)
    throw std::runtime_error(path + ": cannot open for appending: " + std::strerror(errno));
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int e = errno;
      ::close(fd);
      throw std::runtime_error(path + ": cannot append: " + std::strerror(e));
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    const int e = errno;
    ::close(fd);
    throw std::runtime_error(path + ": cannot sync: " + std::strerror(e));
  }
  ::close(fd);
}

}  // namespace idsync::file
