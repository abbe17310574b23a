#include "store/metaverse.hpp"

#include "store/codec.hpp"
#include "store/prefix_scan.hpp"

namespace idsync::store {

namespace {
constexpr char kNextMvIdKey[] = "next_mv_id";
}

std::optional<MvObject> MetaverseStore::get(uint64_t id) const {
  auto value = store_.get(Family::mv, mv_key(id));
  if (!value) return std::nullopt;
  MvObject o;
  decode_mv_object(id, *value, o);
  return o;
}

std::vector<std::optional<MvObject>> MetaverseStore::get_many(
    const std::vector<uint64_t>& ids) const {
  std::vector<Family> families(ids.size(), Family::mv);
  std::vector<std::string> keys;
  keys.reserve(ids.size());
  for (uint64_t id : ids) keys.push_back(mv_key(id));
  const auto values = store_.multi_get(families, keys);
  std::vector<std::optional<MvObject>> out(ids.size());
  for (size_t i = 0; i < ids.size(); ++i)
    if (values[i]) decode_mv_object(ids[i], *values[i], out[i].emplace());
  return out;
}

void MetaverseStore::for_each(const std::function<bool(const MvObject&)>& visit) const {
  MvObject o;
  scan_prefix(store_, Family::mv, {}, [&](std::string_view key, std::string_view value) {
    decode_mv_object(mv_id_of(key), value, o);
    return visit(o);
  });
}

void MetaverseStore::put(rocksdb::WriteBatch& batch, const MvObject& object,
                         std::string& scratch) const {
  scratch.clear();
  encode_mv_object(object, scratch);
  batch.Put(store_.family(Family::mv), mv_key(object.id), scratch);
}

void MetaverseStore::put(rocksdb::WriteBatch& batch, const MvObject& object) const {
  std::string scratch;
  put(batch, object, scratch);
}

void MetaverseStore::remove(rocksdb::WriteBatch& batch, uint64_t id) const {
  batch.Delete(store_.family(Family::mv), mv_key(id));
}

MvIdAllocator::MvIdAllocator(Store& store) : store_(store) {
  if (auto stored = store_.get(Family::meta, kNextMvIdKey)) next_ = Decoder(*stored).u64be();
  recorded_ = next_;
}

uint64_t MvIdAllocator::allocate() { return next_++; }

void MvIdAllocator::record(rocksdb::WriteBatch& batch) {
  if (recorded_ == next_) return;
  std::string value;
  Encoder(value).u64be(next_);
  batch.Put(store_.family(Family::meta), kNextMvIdKey, value);
  recorded_ = next_;
}

}  // namespace idsync::store
