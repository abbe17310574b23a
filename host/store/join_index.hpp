// The join index (`mv_join`): which MV objects have a given value in a given attribute, so that
// inbound sync joins a CS object without scanning the metaverse. Kept only for the attributes
// some join rule names; the caller (the sync step) passes that list.
//
// Key: mv type, lowercase(attribute), lowercase(value) (each varint-length-prefixed, so one
// (type, attribute, value) is an exact key prefix), then the mv id (8 bytes big endian).
// Value: empty.
//
// Values are lowercased (ASCII) in the key so that one index serves case-insensitive joins;
// a case-sensitive find re-checks the candidates' exact values in `mv`. Non-ASCII letters are
// not case-folded: a case-insensitive join matches them exactly.
#pragma once

#include <rocksdb/write_batch.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "store/mv_object.hpp"
#include "store/store.hpp"

namespace idsync::store {

class JoinIndex {
 public:
  explicit JoinIndex(Store& store) : store_(store) {}

  // Candidate ids with `value` in `attribute` on MV objects of `mv_type`, in id order.
  // Case-insensitive: every object with the value in any letter case. Case-sensitive: only
  // those holding exactly `value` (one `mv` read per candidate). Tombstones are not returned.
  std::vector<uint64_t> find(std::string_view mv_type, std::string_view attribute,
                             std::string_view value, bool case_sensitive) const;

  // The key prefix of one (type, attribute, value): what find() looks up.
  static std::string value_prefix(std::string_view mv_type, std::string_view attribute,
                                  std::string_view value);
  // The case-insensitive find() of many value prefixes with one iterator: result i holds the
  // ids under prefixes[i], in id order. `prefixes` must be sorted (the seeks only move
  // forward).
  std::vector<std::vector<uint64_t>> find_many(const std::vector<std::string_view>& prefixes) const;

  // Index entries for single values.
  void add(rocksdb::WriteBatch& batch, std::string_view mv_type, std::string_view attribute,
           std::string_view value, uint64_t id) const;
  void remove(rocksdb::WriteBatch& batch, std::string_view mv_type, std::string_view attribute,
              std::string_view value, uint64_t id) const;

  // All entries of `object` for the joinable attributes it has.
  void add_object(rocksdb::WriteBatch& batch, const MvObject& object,
                  const std::vector<std::string>& join_attributes) const;
  void remove_object(rocksdb::WriteBatch& batch, const MvObject& object,
                     const std::vector<std::string>& join_attributes) const;
  // Brings the entries from `before` to `after` (same id and type), touching only the values
  // that changed in the joinable attributes. Two values that differ only in case share one
  // entry: it is kept while either remains.
  void update_object(rocksdb::WriteBatch& batch, const MvObject& before, const MvObject& after,
                     const std::vector<std::string>& join_attributes) const;

  static std::string key(std::string_view mv_type, std::string_view attribute,
                         std::string_view value, uint64_t id);

 private:
  Store& store_;
};

}  // namespace idsync::store
