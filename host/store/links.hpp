// Links between connector-space objects and MV objects, stored in both directions so that
// inbound sync finds the MV object of a CS object and outbound sync finds the CS objects of an
// MV object, each with one read:
//   link_cs   connector id (4 bytes BE) + anchor  -> mv id (8 bytes BE)
//   link_mv   mv id (8 bytes BE) + connector id (4 bytes BE) -> anchor
// An MV object has at most one CS object per connector (the link_mv key says so).
//
// link() and unlink() add both directions to the caller's batch, reading the committed links
// to undo the ones they replace. They do not see writes still in the batch: link or unlink a
// given CS object (or MV object and connector) at most once per batch.
#pragma once

#include <rocksdb/write_batch.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/store.hpp"

namespace idsync::store {

struct Link {
  uint32_t connector_id = 0;
  std::string anchor;
  bool operator==(const Link&) const = default;
};

class Links {
 public:
  explicit Links(Store& store) : store_(store) {}

  // The MV object a CS object is linked to.
  std::optional<uint64_t> mv_of(uint32_t connector_id, std::string_view anchor) const;
  // mv_of() for many anchors of one connector with one MultiGet.
  std::vector<std::optional<uint64_t>> mv_of_many(
      uint32_t connector_id, const std::vector<std::string_view>& anchors) const;
  // The CS object of an MV object in one connector.
  std::optional<std::string> anchor_of(uint64_t mv_id, uint32_t connector_id) const;
  // Every link of an MV object, in connector id order.
  std::vector<Link> links_of(uint64_t mv_id) const;
  // links_of() for many MV objects with one iterator: result i holds the links of ids[i].
  // `ids` must be in increasing order (the seeks only move forward).
  std::vector<std::vector<Link>> links_of_many(const std::vector<uint64_t>& ids) const;

  // Links the CS object to the MV object. Relinking a CS object to another MV object removes
  // its old link_mv entry. Throws StoreError when the MV object already has another CS object
  // in that connector (the caller must unlink that one first: it is a join conflict).
  void link(rocksdb::WriteBatch& batch, uint32_t connector_id, std::string_view anchor,
            uint64_t mv_id) const;
  // link() for a pair the caller knows to be unlinked on both sides (a CS object created in
  // this batch for an MV object that has no object in that connector): writes both directions
  // without reading what they would replace.
  void link_unlinked(rocksdb::WriteBatch& batch, uint32_t connector_id, std::string_view anchor,
                     uint64_t mv_id) const;
  // Removes the CS object's link, both directions; nothing when it is not linked. Returns the
  // MV object it was linked to.
  std::optional<uint64_t> unlink(rocksdb::WriteBatch& batch, uint32_t connector_id,
                                 std::string_view anchor) const;

  static std::string link_cs_key(uint32_t connector_id, std::string_view anchor);
  static std::string link_mv_key(uint64_t mv_id, uint32_t connector_id);

 private:
  Store& store_;
};

}  // namespace idsync::store
