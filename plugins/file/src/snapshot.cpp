#include "snapshot.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <idsync/sdk.hpp>
#include <random>
#include <vector>

namespace idsync::file {
namespace {

constexpr char kMagic[8] = {'I', 'D', 'S', 'Y', 'N', 'C', 'S', 1};
constexpr uint32_t kLayoutVersion = 1;
constexpr std::size_t kHeaderSize = 48;
constexpr std::size_t kEntryFixed = 22;
constexpr std::size_t kWindow = 1 << 20;

void put(std::string& out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
}
uint64_t get(const char* p, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v |= uint64_t{static_cast<unsigned char>(p[i])} << (8 * i);
  return v;
}

std::string encode_header(const SnapshotHeader& h) {
  std::string out(kMagic, sizeof kMagic);
  put(out, kLayoutVersion, 4);
  put(out, 0, 4);
  put(out, h.generation, 8);
  put(out, h.nonce, 8);
  put(out, h.config, 8);
  put(out, h.count, 8);
  return out;
}

[[noreturn]] void damaged(const std::string& path, const std::string& what) {
  throw sdk::Error(IDSYNC_ERR_PRECONDITION,
                   "snapshot " + path + " is damaged (" + what + "); run a full import");
}

bool parse_generation(const char* name, uint64_t& gen) {
  constexpr std::string_view prefix = "snapshot-", suffix = ".bin";
  std::string_view n(name);
  if (n.size() <= prefix.size() + suffix.size() || n.substr(0, prefix.size()) != prefix ||
      n.substr(n.size() - suffix.size()) != suffix)
    return false;
  n = n.substr(prefix.size(), n.size() - prefix.size() - suffix.size());
  gen = 0;
  for (char c : n) {
    if (c < '0' || c > '9') return false;
    gen = gen * 10 + static_cast<uint64_t>(c - '0');
  }
  return true;
}

}  // namespace

uint64_t random_u64() {
  std::random_device rd;
  return (uint64_t{rd()} << 32) ^ rd();
}

std::string SnapshotStore::path_of(uint64_t generation) const {
  return dir_ + "/snapshot-" + std::to_string(generation) + ".bin";
}

uint64_t SnapshotStore::latest_generation() const {
  DIR* d = ::opendir(dir_.c_str());
  if (d == nullptr) return 0;
  uint64_t best = 0;
  while (dirent* e = ::readdir(d)) {
    uint64_t gen;
    if (parse_generation(e->d_name, gen) && gen > best) best = gen;
  }
  ::closedir(d);
  return best;
}

std::optional<SnapshotHeader> SnapshotStore::latest() const {
  const uint64_t gen = latest_generation();
  if (gen == 0) return std::nullopt;
  return SnapshotReader(path_of(gen)).header();
}

void SnapshotStore::prune(uint64_t keep_from) const {
  DIR* d = ::opendir(dir_.c_str());
  if (d == nullptr) return;
  std::vector<std::string> doomed;
  while (dirent* e = ::readdir(d)) {
    uint64_t gen;
    const std::string_view name(e->d_name);
    // Temporary files of snapshots whose import died before its commit (a crash skips the
    // AtomicWriter's cleanup). Calls on one instance never overlap, so none is being written.
    const bool stale_temp =
        name.substr(0, 10) == ".snapshot-" && name.find(".bin.tmp-") != std::string_view::npos;
    if ((parse_generation(e->d_name, gen) && gen < keep_from) || stale_temp)
      doomed.push_back(dir_ + "/" + e->d_name);
  }
  ::closedir(d);
  for (const auto& p : doomed) ::unlink(p.c_str());
  if (!doomed.empty()) sync_directory(dir_);
}

SnapshotWriter::SnapshotWriter(const SnapshotStore& store, uint64_t generation, uint64_t config)
    : out_(store.path_of(generation), 0600) {
  header_.generation = generation;
  header_.nonce = random_u64();
  header_.config = config;
  out_.write(encode_header(header_));  // count patched in commit()
}

void SnapshotWriter::add(uint64_t anchor_hash, uint64_t content_hash, std::string_view object_type,
                         std::string_view anchor) {
  entry_.clear();
  put(entry_, anchor_hash, 8);
  put(entry_, content_hash, 8);
  put(entry_, object_type.size() > 0xFFFF ? 0xFFFF : object_type.size(), 2);
  put(entry_, anchor.size(), 4);
  entry_.append(object_type.substr(0, 0xFFFF));
  entry_.append(anchor);
  out_.write(entry_);
  ++header_.count;
}

SnapshotHeader SnapshotWriter::commit() {
  out_.write_at(0, encode_header(header_));
  out_.commit();
  return header_;
}

SnapshotReader::SnapshotReader(const std::string& path) : path_(path) {
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0)
    throw sdk::Error(IDSYNC_ERR_PRECONDITION, "snapshot " + path + " cannot be opened (" +
                                                  std::strerror(errno) + "); run a full import");
  const off_t end = ::lseek(fd_, 0, SEEK_END);
  size_ = end < 0 ? 0 : static_cast<uint64_t>(end);
  if (size_ < kHeaderSize) damaged(path_, "too short");
  ensure(0, kHeaderSize);
  const char* p = window_.data();
  if (std::memcmp(p, kMagic, sizeof kMagic) != 0) damaged(path_, "not a snapshot file");
  if (get(p + 8, 4) != kLayoutVersion) damaged(path_, "unknown layout version");
  header_.generation = get(p + 16, 8);
  header_.nonce = get(p + 24, 8);
  header_.config = get(p + 32, 8);
  header_.count = get(p + 40, 8);
}

SnapshotReader::~SnapshotReader() {
  if (fd_ >= 0) ::close(fd_);
}

void SnapshotReader::ensure(uint64_t offset, std::size_t len) {
  if (offset + len > size_) damaged(path_, "an entry runs past the end of the file");
  if (offset >= window_offset_ && offset + len <= window_offset_ + window_.size()) return;
  window_.resize(std::max(kWindow, len));
  std::size_t got = 0;
  while (got < window_.size()) {
    const ssize_t n =
        ::pread(fd_, window_.data() + got, window_.size() - got, static_cast<off_t>(offset + got));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) damaged(path_, std::string("read failed: ") + std::strerror(errno));
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  window_.resize(got);
  window_offset_ = offset;
  if (got < len) damaged(path_, "short read");
}

SnapshotEntry SnapshotReader::parse(uint64_t offset) {
  ensure(offset, kEntryFixed);
  const char* p = window_.data() + (offset - window_offset_);
  const std::size_t type_len = get(p + 16, 2);
  const std::size_t anchor_len = get(p + 18, 4);
  ensure(offset, kEntryFixed + type_len + anchor_len);
  p = window_.data() + (offset - window_offset_);
  SnapshotEntry e;
  e.offset = offset;
  e.anchor_hash = get(p, 8);
  e.content_hash = get(p + 8, 8);
  e.object_type = std::string_view(p + kEntryFixed, type_len);
  e.anchor = std::string_view(p + kEntryFixed + type_len, anchor_len);
  return e;
}

bool SnapshotReader::next(SnapshotEntry& entry) {
  if (pos_ >= size_) return false;
  entry = parse(pos_);
  pos_ += kEntryFixed + entry.object_type.size() + entry.anchor.size();
  return true;
}

SnapshotEntry SnapshotReader::at(uint64_t offset) { return parse(offset); }

}  // namespace idsync::file
