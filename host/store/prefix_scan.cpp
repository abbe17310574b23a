#include "store/prefix_scan.hpp"

namespace idsync::store {

std::string prefix_upper_bound(std::string_view prefix) {
  std::string upper(prefix);
  while (!upper.empty()) {
    auto& last = reinterpret_cast<unsigned char&>(upper.back());
    if (last != 0xff) {
      ++last;
      return upper;
    }
    upper.pop_back();
  }
  return upper;
}

namespace {

void scan(const Store& store, Family family, std::string_view prefix, const std::string* after,
          const std::function<bool(std::string_view, std::string_view)>& visit) {
  const std::string upper = prefix_upper_bound(prefix);
  rocksdb::Slice upper_slice(upper);
  rocksdb::ReadOptions options;
  if (!upper.empty()) options.iterate_upper_bound = &upper_slice;
  auto it = store.iterator(family, options);
  const std::string start = after ? std::string(prefix) + *after : std::string(prefix);
  it->Seek(start);
  // The seek lands on `after` itself when it is still there; it was already visited.
  if (after && it->Valid() && it->key() == rocksdb::Slice(start)) it->Next();
  for (; it->Valid(); it->Next()) {
    const rocksdb::Slice key = it->key();
    if (!key.starts_with(rocksdb::Slice(prefix.data(), prefix.size()))) break;
    if (!visit(std::string_view(key.data() + prefix.size(), key.size() - prefix.size()),
               std::string_view(it->value().data(), it->value().size())))
      return;
  }
  check(it->status(), "store " + store.path().string() + ": scan failed");
}

}  // namespace

void scan_prefix(const Store& store, Family family, std::string_view prefix,
                 const std::function<bool(std::string_view, std::string_view)>& visit) {
  scan(store, family, prefix, nullptr, visit);
}

void scan_prefix_after(const Store& store, Family family, std::string_view prefix,
                       std::string_view after,
                       const std::function<bool(std::string_view, std::string_view)>& visit) {
  const std::string a(after);
  scan(store, family, prefix, &a, visit);
}

}  // namespace idsync::store
