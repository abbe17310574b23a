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
