#include "store/lookup_prefixes.hpp"

#include <cstdint>
#include <optional>

namespace idsync::store {

namespace {

// The length of the lookup prefix at the start of `key`, or nullopt when it holds none.
using PrefixLength = std::optional<size_t> (*)(const rocksdb::Slice& key);

// Skips one varint-length-prefixed field at `pos`; false when the key ends inside it.
bool skip_field(const rocksdb::Slice& key, size_t& pos) {
  uint64_t n = 0;
  for (int shift = 0;; shift += 7) {
    if (pos >= key.size() || shift > 63) return false;
    const auto b = static_cast<uint8_t>(key[pos++]);
    n |= static_cast<uint64_t>(b & 0x7f) << shift;
    if (!(b & 0x80)) break;
  }
  if (n > key.size() - pos) return false;
  pos += n;
  return true;
}

std::optional<size_t> join_value_length(const rocksdb::Slice& key) {
  size_t pos = 0;
  for (int field = 0; field < 3; ++field)
    if (!skip_field(key, pos)) return std::nullopt;
  return pos;
}

std::optional<size_t> awaited_object_length(const rocksdb::Slice& key) {
  constexpr size_t kHead = 5;  // connector id (4) and kind (1)
  if (key.size() < kHead) return std::nullopt;
  if (key[4] == 'o') {
    if (key.size() < kHead + 8) return std::nullopt;
    return kHead + 8;
  }
  if (key[4] != 'i' || key.size() < kHead + 4) return std::nullopt;
  uint32_t n = 0;
  for (size_t i = kHead; i < kHead + 4; ++i) n = (n << 8) | static_cast<uint8_t>(key[i]);
  if (n > key.size() - kHead - 4) return std::nullopt;
  return kHead + 4 + n;
}

std::optional<size_t> mv_id_length(const rocksdb::Slice& key) {
  constexpr size_t kMvId = 8;
  if (key.size() < kMvId) return std::nullopt;
  return kMvId;
}

class LookupPrefix : public rocksdb::SliceTransform {
 public:
  LookupPrefix(const char* name, PrefixLength length) : name_(name), length_(length) {}

  // The name is recorded in every table file; a file written under another name (or none) is
  // read without its prefix filter, never wrongly.
  const char* Name() const override { return name_; }
  rocksdb::Slice Transform(const rocksdb::Slice& key) const override {
    return rocksdb::Slice(key.data(), length_(key).value_or(key.size()));
  }
  bool InDomain(const rocksdb::Slice& key) const override { return length_(key).has_value(); }

 private:
  const char* name_;
  PrefixLength length_;
};

}  // namespace

std::shared_ptr<const rocksdb::SliceTransform> join_value_prefix() {
  static const auto instance =
      std::make_shared<const LookupPrefix>("idsync.JoinValuePrefix.1", join_value_length);
  return instance;
}

std::shared_ptr<const rocksdb::SliceTransform> awaited_object_prefix() {
  static const auto instance =
      std::make_shared<const LookupPrefix>("idsync.AwaitedObjectPrefix.1", awaited_object_length);
  return instance;
}

std::shared_ptr<const rocksdb::SliceTransform> mv_id_prefix() {
  static const auto instance =
      std::make_shared<const LookupPrefix>("idsync.MvIdPrefix.1", mv_id_length);
  return instance;
}

}  // namespace idsync::store
