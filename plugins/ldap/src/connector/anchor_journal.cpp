#include "anchor_journal.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <idsync/sdk.hpp>

namespace idsync::ldap {

namespace {

constexpr std::string_view kMagic = "idsync rfc4533 anchors v1\n";
constexpr size_t kHeaderSize = 4 + 8;  // payload length, checksum
// A record larger than this is corruption, not data (16 bytes per anchor: 4 GiB of anchors).
constexpr uint32_t kMaxPayload = 0xfffffff0u;

[[noreturn]] void io_error(const std::string& what, const std::string& path) {
  throw sdk::Error(IDSYNC_ERR_INTERNAL,
                   "cannot " + what + " \"" + path +
                       "\" (the connector's state folder): " + std::strerror(errno));
}

class File {
 public:
  File(const std::string& path, int flags) : path_(path), fd_(::open(path.c_str(), flags, 0600)) {}
  ~File() {
    if (fd_ >= 0) ::close(fd_);
  }
  File(const File&) = delete;
  File& operator=(const File&) = delete;
  bool ok() const { return fd_ >= 0; }
  int fd() const { return fd_; }

  uint64_t size() const {
    struct stat st {};
    if (::fstat(fd_, &st) != 0) io_error("examine", path_);
    return static_cast<uint64_t>(st.st_size);
  }
  void write_at(uint64_t offset, std::string_view bytes) const {
    while (!bytes.empty()) {
      const ssize_t n = ::pwrite(fd_, bytes.data(), bytes.size(), static_cast<off_t>(offset));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) io_error("write", path_);
      bytes.remove_prefix(static_cast<size_t>(n));
      offset += static_cast<uint64_t>(n);
    }
  }
  // Reads up to `length` bytes into `out`; returns how many (fewer only at the end of the file).
  size_t read_into(uint64_t offset, void* out, size_t length) const {
    size_t done = 0;
    while (done < length) {
      const ssize_t n = ::pread(fd_, static_cast<char*>(out) + done, length - done,
                                static_cast<off_t>(offset + done));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) io_error("read", path_);
      if (n == 0) break;
      done += static_cast<size_t>(n);
    }
    return done;
  }
  std::string read_at(uint64_t offset, size_t length) const {
    std::string out(length, '\0');
    out.resize(read_into(offset, out.data(), length));
    return out;
  }
  void truncate(uint64_t size) const {
    if (::ftruncate(fd_, static_cast<off_t>(size)) != 0) io_error("truncate", path_);
  }
  void sync() const {
    if (::fsync(fd_) != 0) io_error("sync", path_);
  }

 private:
  std::string path_;
  int fd_;
};

void sync_folder_of(const std::string& path) {
  const std::string folder = std::filesystem::path(path).parent_path().string();
  File dir(folder.empty() ? "." : folder, O_RDONLY | O_DIRECTORY);
  if (dir.ok()) ::fsync(dir.fd());  // best effort: not every file system syncs folders
}

void put_u32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out += static_cast<char>(v >> (8 * i) & 0xff);
}
void put_u64(std::string& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out += static_cast<char>(v >> (8 * i) & 0xff);
}
void put_string(std::string& out, std::string_view s) {
  put_u32(out, static_cast<uint32_t>(s.size()));
  out += s;
}
void put_uuids(std::string& out, const std::vector<Uuid>& uuids) {
  put_u32(out, static_cast<uint32_t>(uuids.size()));
  for (const Uuid& u : uuids) out.append(reinterpret_cast<const char*>(u.data()), u.size());
}

// Reads the fields of a payload in order; any overrun makes the record corrupt.
class PayloadReader {
 public:
  explicit PayloadReader(std::string_view bytes) : rest_(bytes) {}
  bool ok() const { return ok_; }
  bool at_end() const { return rest_.empty(); }

  uint64_t u(int bytes) {
    if (rest_.size() < static_cast<size_t>(bytes)) return fail();
    uint64_t v = 0;
    for (int i = 0; i < bytes; ++i)
      v |= static_cast<uint64_t>(static_cast<uint8_t>(rest_[i])) << (8 * i);
    rest_.remove_prefix(static_cast<size_t>(bytes));
    return v;
  }
  std::string string() {
    const uint64_t n = u(4);
    if (!ok_ || rest_.size() < n) return fail(), std::string();
    std::string out(rest_.substr(0, n));
    rest_.remove_prefix(n);
    return out;
  }
  std::vector<Uuid> uuids() {
    const uint64_t n = u(4);
    std::vector<Uuid> out;
    if (!ok_ || rest_.size() / 16 < n) return fail(), out;
    out.resize(n);
    for (auto& uuid : out) {
      std::memcpy(uuid.data(), rest_.data(), 16);
      rest_.remove_prefix(16);
    }
    return out;
  }

 private:
  uint64_t fail() {
    ok_ = false;
    rest_ = {};
    return 0;
  }
  std::string_view rest_;
  bool ok_ = true;
};

std::string encode_record(const JournalRecord& r) {
  std::string payload;
  payload += static_cast<char>(r.type);
  put_string(payload, r.from);
  put_string(payload, r.to);
  put_string(payload, r.file);
  put_u64(payload, r.count);
  put_u64(payload, r.file_checksum);
  put_uuids(payload, r.added);
  put_uuids(payload, r.deleted);
  std::string out;
  put_u32(out, static_cast<uint32_t>(payload.size()));
  put_u64(out, checksum(payload));
  return out + payload;
}

std::optional<JournalRecord> decode_payload(std::string_view payload) {
  PayloadReader in(payload);
  JournalRecord r;
  const auto type = in.u(1);
  if (type < 1 || type > 3) return std::nullopt;
  r.type = static_cast<JournalRecord::Type>(type);
  r.from = in.string();
  r.to = in.string();
  r.file = in.string();
  r.count = in.u(8);
  r.file_checksum = in.u(8);
  r.added = in.uuids();
  r.deleted = in.uuids();
  if (!in.ok() || !in.at_end()) return std::nullopt;
  return r;
}

// Walks the journal: calls `record` for each good one and returns the offset after the last.
template <class OnRecord>
uint64_t scan(const File& file, OnRecord&& record) {
  const uint64_t size = file.size();
  if (size < kMagic.size() || file.read_at(0, kMagic.size()) != kMagic) return 0;
  uint64_t at = kMagic.size();
  while (at + kHeaderSize <= size) {
    PayloadReader header(file.read_at(at, kHeaderSize));
    const uint64_t length = header.u(4);
    const uint64_t sum = header.u(8);
    if (length > kMaxPayload || at + kHeaderSize + length > size) break;
    const std::string payload = file.read_at(at + kHeaderSize, static_cast<size_t>(length));
    if (checksum(payload) != sum) break;
    auto decoded = decode_payload(payload);
    if (!decoded) break;
    record(std::move(*decoded));
    at += kHeaderSize + length;
  }
  return at;
}

static_assert(sizeof(Uuid) == 16, "base files are the in-memory layout of the anchors");

std::string_view bytes_of(const std::vector<Uuid>& anchors) {
  return {reinterpret_cast<const char*>(anchors.data()), anchors.size() * sizeof(Uuid)};
}

}  // namespace

uint64_t checksum(std::string_view bytes, uint64_t seed) {
  uint64_t h = seed;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

std::vector<JournalRecord> AnchorJournal::read_all() const {
  std::vector<JournalRecord> out;
  File file(path_, O_RDONLY);
  if (!file.ok()) {
    if (errno == ENOENT) return out;
    io_error("open", path_);
  }
  scan(file, [&](JournalRecord&& r) { out.push_back(std::move(r)); });
  return out;
}

uint64_t AnchorJournal::size() const {
  struct stat st {};
  if (::stat(path_.c_str(), &st) != 0) return 0;
  return static_cast<uint64_t>(st.st_size);
}

uint64_t AnchorJournal::valid_end() {
  if (known_end_ && *known_end_ == size()) return *known_end_;
  File file(path_, O_RDONLY);
  if (!file.ok()) {
    if (errno == ENOENT) return 0;
    io_error("open", path_);
  }
  return scan(file, [](JournalRecord&&) {});
}

void AnchorJournal::append(const JournalRecord& record) {
  uint64_t end = valid_end();
  File file(path_, O_RDWR | O_CREAT);
  if (!file.ok()) io_error("open", path_);
  std::string bytes;
  if (end == 0) bytes = kMagic;  // a new journal, or one whose header was never completed
  bytes += encode_record(record);
  if (file.size() != end) file.truncate(end);  // a torn record of an earlier crash
  file.write_at(end, bytes);
  file.sync();
  if (end == 0) sync_folder_of(path_);
  known_end_ = end + bytes.size();
}

void AnchorJournal::rewrite(const std::vector<JournalRecord>& records) {
  const std::string temporary = path_ + ".new";
  {
    File file(temporary, O_RDWR | O_CREAT | O_TRUNC);
    if (!file.ok()) io_error("create", temporary);
    std::string bytes(kMagic);
    for (const auto& r : records) bytes += encode_record(r);
    file.write_at(0, bytes);
    file.sync();
  }
  if (::rename(temporary.c_str(), path_.c_str()) != 0) io_error("replace", path_);
  sync_folder_of(path_);
  known_end_.reset();
}

uint64_t write_base_file(const std::string& path, const std::vector<Uuid>& anchors) {
  const std::string temporary = path + ".new";
  {
    File file(temporary, O_RDWR | O_CREAT | O_TRUNC);
    if (!file.ok()) io_error("create", temporary);
    file.write_at(0, bytes_of(anchors));
    file.sync();
  }
  if (::rename(temporary.c_str(), path.c_str()) != 0) io_error("replace", path);
  sync_folder_of(path);
  return checksum(bytes_of(anchors));
}

bool append_to_base_file(const std::string& path, uint64_t before,
                         const std::vector<Uuid>& anchors) {
  File file(path, O_RDWR | O_CREAT);
  if (!file.ok()) io_error("open", path);
  const uint64_t size = file.size();
  if (size < before * 16) {
    file.truncate(0);
    return false;
  }
  if (size != before * 16) file.truncate(before * 16);
  file.write_at(before * 16, bytes_of(anchors));
  return true;
}

std::optional<uint64_t> seal_base_file(const std::string& path, uint64_t count) {
  File file(path, O_RDWR | O_CREAT);
  if (!file.ok()) io_error("open", path);
  if (file.size() < count * 16) return std::nullopt;
  file.truncate(count * 16);
  file.sync();
  sync_folder_of(path);
  uint64_t sum = checksum({});
  constexpr size_t kChunk = 1 << 20;
  for (uint64_t at = 0; at < count * 16; at += kChunk)
    sum = checksum(
        file.read_at(at, static_cast<size_t>(std::min<uint64_t>(kChunk, count * 16 - at))), sum);
  return sum;
}

std::optional<std::vector<Uuid>> read_base_file(const std::string& path, uint64_t count,
                                                uint64_t expected_checksum) {
  File file(path, O_RDONLY);
  if (!file.ok()) {
    if (errno == ENOENT) return std::nullopt;
    io_error("open", path);
  }
  if (file.size() < count * 16) return std::nullopt;
  // Read straight into the anchors: the file is their exact in-memory layout.
  std::vector<Uuid> out(count);
  if (file.read_into(0, out.data(), out.size() * sizeof(Uuid)) != count * 16 ||
      checksum(bytes_of(out)) != expected_checksum)
    return std::nullopt;
  return out;
}

}  // namespace idsync::ldap
