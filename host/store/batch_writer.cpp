#include "store/batch_writer.hpp"

#include <algorithm>
#include <exception>
#include <utility>

namespace idsync::store {

namespace {

// Collects every key a batch writes, by family.
class KeyCollector : public rocksdb::WriteBatch::Handler {
 public:
  KeyCollector(const std::vector<int>& family_of_cf,
               std::vector<std::vector<std::string_view>>& keys, std::vector<bool>& whole)
      : family_of_cf_(family_of_cf), keys_(keys), whole_(whole) {}

  rocksdb::Status PutCF(uint32_t cf, const rocksdb::Slice& key, const rocksdb::Slice&) override {
    return add(cf, key);
  }
  rocksdb::Status DeleteCF(uint32_t cf, const rocksdb::Slice& key) override { return add(cf, key); }
  rocksdb::Status SingleDeleteCF(uint32_t cf, const rocksdb::Slice& key) override {
    return add(cf, key);
  }
  rocksdb::Status MergeCF(uint32_t cf, const rocksdb::Slice& key, const rocksdb::Slice&) override {
    return add(cf, key);
  }
  rocksdb::Status DeleteRangeCF(uint32_t cf, const rocksdb::Slice&,
                                const rocksdb::Slice&) override {
    // Rare: every read of the family waits rather than the index holding ranges.
    if (auto f = family(cf)) whole_[*f] = true;
    return rocksdb::Status::OK();
  }
  rocksdb::Status PutEntityCF(uint32_t cf, const rocksdb::Slice& key,
                              const rocksdb::Slice&) override {
    return add(cf, key);
  }

 private:
  std::optional<size_t> family(uint32_t cf) const {
    if (cf >= family_of_cf_.size() || family_of_cf_[cf] < 0) return std::nullopt;
    return static_cast<size_t>(family_of_cf_[cf]);
  }
  rocksdb::Status add(uint32_t cf, const rocksdb::Slice& key) {
    if (auto f = family(cf)) keys_[*f].emplace_back(key.data(), key.size());
    return rocksdb::Status::OK();
  }

  const std::vector<int>& family_of_cf_;
  std::vector<std::vector<std::string_view>>& keys_;
  std::vector<bool>& whole_;
};

}  // namespace

WrittenKeys::WrittenKeys(const rocksdb::WriteBatch& batch, const std::vector<int>& family_of_cf,
                         size_t families)
    : keys_(families), sorted_(families, false), whole_(families, false) {
  KeyCollector collector(family_of_cf, keys_, whole_);
  if (!batch.Iterate(&collector).ok()) {
    // Not expected of a batch built in this process; waiting on every read is always safe.
    std::fill(whole_.begin(), whole_.end(), true);
  }
}

const std::vector<std::string_view>& WrittenKeys::sorted(size_t family) const {
  auto& k = keys_[family];
  if (!sorted_[family]) {
    std::sort(k.begin(), k.end());
    sorted_[family] = true;
  }
  return k;
}

bool WrittenKeys::touches(size_t family, std::string_view key) const {
  if (whole_[family]) return true;
  const auto& k = sorted(family);
  return std::binary_search(k.begin(), k.end(), key);
}

bool WrittenKeys::touches_any(size_t family, const std::vector<std::string_view>& keys) const {
  if (keys.empty()) return false;
  if (whole_[family]) return true;
  const auto& written = sorted(family);
  auto w = written.begin();
  for (std::string_view key : keys) {
    while (w != written.end() && *w < key) ++w;
    if (w == written.end()) return false;
    if (*w == key) return true;
  }
  return false;
}

bool WrittenKeys::touches_range(size_t family, std::string_view lower,
                                std::string_view upper) const {
  if (whole_[family]) return true;
  const auto& k = sorted(family);
  auto it = std::lower_bound(k.begin(), k.end(), lower);
  return it != k.end() && (upper.empty() || *it < upper);
}

BatchWriter::BatchWriter(rocksdb::DB& db, std::function<rocksdb::Status()> before_write)
    : db_(db), before_write_(std::move(before_write)) {}

void BatchWriter::submit(rocksdb::WriteBatch batch, const std::vector<int>& family_of_cf,
                         size_t families) {
  current_.batch = std::make_unique<rocksdb::WriteBatch>(std::move(batch));
  // The index is built before the write begins, which stamps the batch.
  current_.keys.emplace(*current_.batch, family_of_cf, families);
  ++submitted_;
  // The caller neither touches the batch nor submits another until wait().
  thread_.start([this, job = current_.batch.get()] {
    status_ = before_write_ ? before_write_() : rocksdb::Status::OK();
    if (status_.ok()) status_ = db_.Write(rocksdb::WriteOptions(), job);
  });
}

rocksdb::Status BatchWriter::wait() {
  wait_for_thread();
  if (current_.keys) {
    previous_ = std::move(current_);
    current_ = Held{};
    ++waited_;
  }
  return std::exchange(status_, rocksdb::Status::OK());
}

std::optional<std::vector<const WrittenKeys*>> BatchWriter::written_after(uint64_t after) const {
  std::vector<const WrittenKeys*> out;
  for (uint64_t n = after + 1; n <= submitted_; ++n) {
    if (current_.keys && n == submitted_)
      out.push_back(&*current_.keys);
    else if (previous_.keys && n == waited_)
      out.push_back(&*previous_.keys);
    else
      return std::nullopt;
  }
  return out;
}

void BatchWriter::wait_for_thread() {
  try {
    thread_.wait();
  } catch (const std::exception& e) {
    // The job catches nothing, but RocksDB may throw (std::bad_alloc): a failed write.
    status_ = rocksdb::Status::Aborted(e.what());
  }
}

}  // namespace idsync::store
