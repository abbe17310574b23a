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

// Visits the keys from the iterator's position on while they start with `prefix`, then checks
// the iterator's status. False when `visit(suffix, value)` stopped.
template <typename Visit>
bool visit_prefix(const Store& store, rocksdb::Iterator& it, std::string_view prefix,
                  const Visit& visit) {
  for (; it.Valid(); it.Next()) {
    const rocksdb::Slice key = it.key();
    if (!key.starts_with(rocksdb::Slice(prefix.data(), prefix.size()))) break;
    if (!visit(std::string_view(key.data() + prefix.size(), key.size() - prefix.size()),
               std::string_view(it.value().data(), it.value().size())))
      return false;
  }
  check(it.status(), "store " + store.path().string() + ": scan failed");
  return true;
}

void scan(const Store& store, Family family, std::string_view prefix, const std::string* after,
          bool lookup, const std::function<bool(std::string_view, std::string_view)>& visit) {
  const std::string upper = prefix_upper_bound(prefix);
  // The first key after `after`: `after` itself was already visited. The bounds also tell the
  // store which keys the scan may see (Store::write_behind), so `after`, which the batch
  // before may have rewritten, is outside them.
  std::string start(prefix);
  if (after) {
    start += *after;
    start += '\0';
  }
  rocksdb::Slice upper_slice(upper);
  rocksdb::Slice lower_slice(start);
  rocksdb::ReadOptions options;
  if (!upper.empty()) options.iterate_upper_bound = &upper_slice;
  options.iterate_lower_bound = &lower_slice;
  auto it = store.iterator(family, options, lookup);
  it->Seek(start);
  visit_prefix(store, *it, prefix, visit);
}

}  // namespace

void scan_prefix(const Store& store, Family family, std::string_view prefix,
                 const std::function<bool(std::string_view, std::string_view)>& visit) {
  scan(store, family, prefix, nullptr, false, visit);
}

void scan_lookup_prefix(const Store& store, Family family, std::string_view prefix,
                        const std::function<bool(std::string_view, std::string_view)>& visit) {
  scan(store, family, prefix, nullptr, true, visit);
}

void scan_lookup_prefixes(
    const Store& store, Family family, const std::vector<std::string_view>& prefixes,
    const std::function<bool(size_t, std::string_view, std::string_view)>& visit) {
  if (prefixes.empty()) return;
  auto it = store.lookup_iterator(family, prefixes);
  for (size_t i = 0; i < prefixes.size(); ++i) {
    it->Seek(rocksdb::Slice(prefixes[i].data(), prefixes[i].size()));
    auto visit_i = [&](std::string_view suffix, std::string_view value) {
      return visit(i, suffix, value);
    };
    if (!visit_prefix(store, *it, prefixes[i], visit_i)) return;
  }
}

void scan_prefix_after(const Store& store, Family family, std::string_view prefix,
                       std::string_view after,
                       const std::function<bool(std::string_view, std::string_view)>& visit) {
  const std::string a(after);
  scan(store, family, prefix, &a, false, visit);
}

}  // namespace idsync::store
