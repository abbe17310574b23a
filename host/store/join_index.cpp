#include "store/join_index.hpp"

#include <algorithm>

#include "store/codec.hpp"
#include "store/cs_object.hpp"
#include "store/metaverse.hpp"
#include "store/prefix_scan.hpp"

namespace idsync::store {

namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

// Appends s lowercased and length-prefixed, without a temporary string.
void lower_bytes(Encoder& e, std::string& out, std::string_view s) {
  e.varint(s.size());
  for (char c : s) out.push_back(lower(c));
}

}  // namespace

std::string JoinIndex::value_prefix(std::string_view mv_type, std::string_view attribute,
                                    std::string_view value) {
  std::string key;
  key.reserve(mv_type.size() + attribute.size() + value.size() + 16);
  Encoder e(key);
  e.bytes(mv_type);
  lower_bytes(e, key, attribute);
  lower_bytes(e, key, value);
  return key;
}

namespace {

bool has_value_ci(const MvAttribute* a, std::string_view value) {
  return a && std::any_of(a->values.begin(), a->values.end(),
                          [&](const std::string& v) { return iequals(v, value); });
}

}  // namespace

std::string JoinIndex::key(std::string_view mv_type, std::string_view attribute,
                           std::string_view value, uint64_t id) {
  std::string key = value_prefix(mv_type, attribute, value);
  Encoder(key).u64be(id);
  return key;
}

std::vector<uint64_t> JoinIndex::find(std::string_view mv_type, std::string_view attribute,
                                      std::string_view value, bool case_sensitive) const {
  std::vector<uint64_t> ids;
  scan_lookup_prefix(store_, Family::mv_join, value_prefix(mv_type, attribute, value),
                     [&](std::string_view suffix, std::string_view) {
                       // Another value's keys cannot share the prefix: the value is
                       // length-prefixed.
                       if (suffix.size() != 8) throw CorruptRecord("join index key is damaged");
                       ids.push_back(mv_id_of(suffix));
                       return true;
                     });
  if (!case_sensitive) return ids;
  const MetaverseStore mv(store_);
  std::erase_if(ids, [&](uint64_t id) {
    auto o = mv.get(id);
    if (!o || o->deleted) return true;
    const MvAttribute* a = o->find(attribute);
    return !a || std::find(a->values.begin(), a->values.end(), value) == a->values.end();
  });
  return ids;
}

std::vector<std::vector<uint64_t>> JoinIndex::find_many(
    const std::vector<std::string_view>& prefixes) const {
  std::vector<std::vector<uint64_t>> ids(prefixes.size());
  scan_lookup_prefixes(store_, Family::mv_join, prefixes,
                       [&](size_t i, std::string_view suffix, std::string_view) {
                         if (suffix.size() != 8) throw CorruptRecord("join index key is damaged");
                         ids[i].push_back(mv_id_of(suffix));
                         return true;
                       });
  return ids;
}

void JoinIndex::add(rocksdb::WriteBatch& batch, std::string_view mv_type,
                    std::string_view attribute, std::string_view value, uint64_t id) const {
  batch.Put(store_.family(Family::mv_join), key(mv_type, attribute, value, id), {});
}

void JoinIndex::remove(rocksdb::WriteBatch& batch, std::string_view mv_type,
                       std::string_view attribute, std::string_view value, uint64_t id) const {
  batch.Delete(store_.family(Family::mv_join), key(mv_type, attribute, value, id));
}

void JoinIndex::add_object(rocksdb::WriteBatch& batch, const MvObject& o,
                           const std::vector<std::string>& join_attributes) const {
  for (const auto& name : join_attributes)
    if (const MvAttribute* a = o.find(name))
      for (const auto& v : a->values) add(batch, o.object_type, name, v, o.id);
}

void JoinIndex::remove_object(rocksdb::WriteBatch& batch, const MvObject& o,
                              const std::vector<std::string>& join_attributes) const {
  for (const auto& name : join_attributes)
    if (const MvAttribute* a = o.find(name))
      for (const auto& v : a->values) remove(batch, o.object_type, name, v, o.id);
}

void JoinIndex::update_object(rocksdb::WriteBatch& batch, const MvObject& before,
                              const MvObject& after,
                              const std::vector<std::string>& join_attributes) const {
  for (const auto& name : join_attributes) {
    const MvAttribute* old_values = before.find(name);
    const MvAttribute* new_values = after.find(name);
    // Entries are per lowercased value: remove one only when no remaining value maps to it,
    // and removals go first so that an add of the same key (a case change) wins in the batch.
    if (old_values)
      for (const auto& v : old_values->values)
        if (!has_value_ci(new_values, v)) remove(batch, before.object_type, name, v, before.id);
    if (new_values)
      for (const auto& v : new_values->values)
        if (!has_value_ci(old_values, v)) add(batch, after.object_type, name, v, after.id);
  }
}

}  // namespace idsync::store
