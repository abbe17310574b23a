#include "store/dirty_attributes.hpp"

#include <algorithm>

#include "store/codec.hpp"
#include "store/cs_object.hpp"
#include "store/mv_object.hpp"
#include "store/prefix_scan.hpp"

namespace idsync::store {

namespace {

constexpr uint8_t kDirtyFormat = 1;
constexpr uint8_t kDirtyFormatWithValueChanges = 2;
constexpr uint8_t kObjectFlag = 1;

void normalize(std::vector<std::string>& names) {
  std::stable_sort(names.begin(), names.end(), iless);
  names.erase(std::unique(names.begin(), names.end(), iequals), names.end());
}

class DirtyMergeOperator : public rocksdb::AssociativeMergeOperator {
 public:
  bool Merge(const rocksdb::Slice&, const rocksdb::Slice* existing, const rocksdb::Slice& value,
             std::string* new_value, rocksdb::Logger*) const override {
    try {
      const DirtySet add = decode_dirty_set(std::string_view(value.data(), value.size()));
      if (!existing) {
        encode_dirty_set(add, *new_value);
        return true;
      }
      const DirtySet old = decode_dirty_set(std::string_view(existing->data(), existing->size()));
      encode_dirty_set(merge_dirty_sets(old, add), *new_value);
      return true;
    } catch (const CorruptRecord&) {
      return false;  // RocksDB reports a corruption to the reader
    }
  }
  const char* Name() const override { return "idsync.mv_dirty.v1"; }
};

}  // namespace

const ValueChange* DirtySet::value_change(std::string_view name) const {
  return find_value_change(value_changes, name);
}

void encode_dirty_set(const DirtySet& set, std::string& out) {
  Encoder e(out);
  e.u8(set.value_changes.empty() ? kDirtyFormat : kDirtyFormatWithValueChanges);
  e.u8(set.object ? kObjectFlag : 0);
  e.varint(set.names.size());
  for (const auto& n : set.names) e.bytes(n);
  if (!set.value_changes.empty()) encode_value_changes(e, set.value_changes);
}

DirtySet decode_dirty_set(std::string_view value) {
  Decoder d(value);
  const uint8_t format = d.u8();
  if (format != kDirtyFormat && format != kDirtyFormatWithValueChanges)
    throw CorruptRecord("unknown dirty-attributes record format");
  const uint8_t flags = d.u8();
  if (flags & ~kObjectFlag) throw CorruptRecord("unknown dirty-attributes record flags");
  DirtySet set;
  set.object = flags & kObjectFlag;
  const uint64_t n = d.varint();
  if (n > d.remaining()) throw CorruptRecord("dirty-attributes record count is damaged");
  set.names.resize(n);
  for (auto& name : set.names) name.assign(d.bytes());
  if (format == kDirtyFormatWithValueChanges) decode_value_changes(d, set.value_changes);
  if (!d.done()) throw CorruptRecord("trailing bytes after dirty-attributes record");
  return set;
}

DirtySet merge_dirty_sets(const DirtySet& a, const DirtySet& b) {
  DirtySet out;
  out.object = a.object || b.object;
  out.names.reserve(a.names.size() + b.names.size());
  // Both are sorted: a merge keeps the result sorted; unique drops b's respelling of a's name.
  std::merge(a.names.begin(), a.names.end(), b.names.begin(), b.names.end(),
             std::back_inserter(out.names), iless);
  out.names.erase(std::unique(out.names.begin(), out.names.end(), iequals), out.names.end());
  // A value change survives only where every side that names the attribute has one.
  auto names = [](const DirtySet& s, std::string_view name) {
    return std::any_of(s.names.begin(), s.names.end(),
                       [&](const std::string& n) { return iequals(n, name); });
  };
  for (const std::string& name : out.names) {
    const ValueChange* first = a.value_change(name);
    const ValueChange* later = b.value_change(name);
    if ((names(a, name) && !first) || (names(b, name) && !later)) continue;
    ValueChange c = first ? *first : ValueChange{name, {}, {}};
    if (later) compose(c, later->added, later->removed);
    c.name = name;
    out.value_changes.push_back(std::move(c));
  }
  return out;
}

std::shared_ptr<rocksdb::MergeOperator> dirty_attributes_merge_operator() {
  static const auto op = std::make_shared<DirtyMergeOperator>();
  return op;
}

std::optional<DirtySet> DirtyAttributes::get(uint64_t mv_id) const {
  auto value = store_.get(Family::mv_dirty, mv_key(mv_id));
  if (!value) return std::nullopt;
  return decode_dirty_set(*value);
}

void DirtyAttributes::for_each(const std::function<bool(uint64_t, const DirtySet&)>& visit) const {
  scan_prefix(store_, Family::mv_dirty, {}, [&](std::string_view key, std::string_view value) {
    return visit(mv_id_of(key), decode_dirty_set(value));
  });
}

void DirtyAttributes::for_each_after(
    uint64_t after, const std::function<bool(uint64_t, const DirtySet&)>& visit) const {
  scan_prefix_after(store_, Family::mv_dirty, {}, mv_key(after),
                    [&](std::string_view key, std::string_view value) {
                      return visit(mv_id_of(key), decode_dirty_set(value));
                    });
}

void DirtyAttributes::mark(rocksdb::WriteBatch& batch, uint64_t mv_id,
                           const std::vector<std::string>& names, bool object_changed) const {
  DirtySet set{object_changed, names};
  normalize(set.names);
  std::string value;
  encode_dirty_set(set, value);
  batch.Merge(store_.family(Family::mv_dirty), mv_key(mv_id), value);
}

void DirtyAttributes::mark_set(rocksdb::WriteBatch& batch, uint64_t mv_id,
                               const DirtySet& set) const {
  // Names sorted and distinct; then through a merge with nothing, which orders the value changes.
  DirtySet sorted = set;
  normalize(sorted.names);
  const DirtySet normal = merge_dirty_sets(DirtySet{}, sorted);
  std::string value;
  encode_dirty_set(normal, value);
  batch.Merge(store_.family(Family::mv_dirty), mv_key(mv_id), value);
}

void DirtyAttributes::clear(rocksdb::WriteBatch& batch, uint64_t mv_id) const {
  batch.Delete(store_.family(Family::mv_dirty), mv_key(mv_id));
}

}  // namespace idsync::store
