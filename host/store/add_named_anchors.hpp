// The object types whose ADD a connector files under the value of the anchor attribute the ADD
// carries (IDSYNC_ATTRINFO_ANCHOR_FROM_ADD), kept in the store for outbound sync, which calls
// no connector: it provisions an object of such a type under its final anchor at once, so the
// export that adds it moves nothing (cs_object.hpp: CsObject::awaiting_add).
//
// Contract:
//   - One record per connector in the `meta` family; the import and export steps rewrite it
//     from the connector's schema (importer/connector_schema.hpp) when it changed. A connector
//     whose schema never declared the flag has no record and reads as having no such type:
//     its objects are provisioned under provisional anchors, which is always correct.
//   - Object types compare exactly, as the rules and the connector spell them.
//   - A stored value that does not decode throws CorruptRecord naming the record.
//
// Encoding: "add_named_anchors/" + connector id (u32 BE)
//     -> u8 format (1), varint count, then per type (sorted, unique): type, anchor attribute,
//        each as bytes.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/store.hpp"

namespace idsync::store {

class AddNamedAnchors {
 public:
  using Entry = std::pair<std::string, std::string>;  // object type, anchor attribute
  AddNamedAnchors() = default;
  // Any order; of two entries for one type the first is kept.
  explicit AddNamedAnchors(std::vector<Entry> entries);
  AddNamedAnchors(std::initializer_list<Entry> entries)
      : AddNamedAnchors(std::vector<Entry>(entries)) {}

  // The anchor attribute whose value names an added object of `object_type`, or null.
  const std::string* attribute_of(std::string_view object_type) const;
  bool empty() const { return entries_.empty(); }
  const std::vector<Entry>& entries() const { return entries_; }
  bool operator==(const AddNamedAnchors&) const = default;

 private:
  std::vector<Entry> entries_;  // sorted by type, unique
};

std::string add_named_anchors_key(uint32_t connector_id);
void encode_add_named_anchors(const AddNamedAnchors& anchors, std::string& out);
// Throws CorruptRecord on an unknown format, truncation or trailing bytes.
AddNamedAnchors decode_add_named_anchors(std::string_view value);

// The connector's record; empty when none was ever written.
AddNamedAnchors read_add_named_anchors(const Store& store, uint32_t connector_id);
// Writes the record only when it differs from the stored one (the steps call this every run);
// an empty set removes it. Durable when it returns.
void write_add_named_anchors(Store& store, uint32_t connector_id, const AddNamedAnchors& anchors);

}  // namespace idsync::store
