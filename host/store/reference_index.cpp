#include "store/reference_index.hpp"

#include "store/prefix_scan.hpp"

namespace idsync::store {

std::set<uint64_t> ReferenceIndex::targets(const MvObject& object) {
  std::set<uint64_t> out;
  for (const MvAttribute& a : object.attributes)
    if (a.type == IDSYNC_VALUE_REFERENCE)
      for (const std::string& v : a.values)
        if (v.size() == 8) out.insert(mv_id_of(v));
  return out;
}

void ReferenceIndex::update(rocksdb::WriteBatch& batch, const MvObject* before,
                            const MvObject* after) const {
  const std::set<uint64_t> was = before ? targets(*before) : std::set<uint64_t>();
  const std::set<uint64_t> is = after ? targets(*after) : std::set<uint64_t>();
  if (was.empty() && is.empty()) return;
  const uint64_t holder = after ? after->id : before->id;
  const std::string holder_key = mv_key(holder);
  for (uint64_t t : was)
    if (!is.count(t)) batch.Delete(store_.family(Family::mv_ref), mv_key(t) + holder_key);
  for (uint64_t t : is)
    if (!was.count(t)) batch.Put(store_.family(Family::mv_ref), mv_key(t) + holder_key, "");
}

std::vector<uint64_t> ReferenceIndex::holders(uint64_t target) const {
  std::vector<uint64_t> out;
  scan_prefix(store_, Family::mv_ref, mv_key(target),
              [&](std::string_view suffix, std::string_view) {
                out.push_back(mv_id_of(suffix));
                return true;
              });
  return out;
}

}  // namespace idsync::store
