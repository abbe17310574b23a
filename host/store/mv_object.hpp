// A metaverse object: the joined identity that inbound sync builds from connector-space
// objects, and outbound sync reads to compute pending exports.
#pragma once

#include <idsync/plugin_abi.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace idsync::store {

// Where an MV attribute's current value came from: the winning contribution of inbound flow.
// Kept per attribute so that a later sync can tell whether a new contribution outranks it
// (lower precedence number wins) and which rule to re-evaluate when its source gives NULL.
struct Provenance {
  uint32_t connector_id = 0;  // store connector id of the contributing CS object
  std::string rule;           // the sync rule's name (or id) that flowed the value
  uint32_t precedence = 0;    // that rule's precedence; lower wins
  int64_t when_unix_ms = 0;   // when the value was last set

  bool operator==(const Provenance&) const = default;
};

struct MvAttribute {
  std::string name;
  idsync_value_type type = IDSYNC_VALUE_STRING;
  // Never empty in a stored object: an attribute without values is absent. Reference values
  // are mv ids (8 bytes, big endian), so they survive renames of the CS objects.
  std::vector<std::string> values;
  Provenance provenance;

  bool operator==(const MvAttribute&) const = default;
};

struct MvObject {
  uint64_t id = 0;  // the key; not part of the encoded value
  std::string object_type;
  // A tombstone: the object was deleted by inbound sync and stays until outbound sync has
  // deprovisioned its links (it needs the object type and links to do so); its id is never
  // reused either way.
  bool deleted = false;
  std::vector<MvAttribute> attributes;  // sorted by name, case-insensitively (canonicalize)

  const MvAttribute* find(std::string_view name) const;
  MvAttribute* find(std::string_view name);
  bool operator==(const MvObject&) const = default;
};

// Puts attributes in canonical order (by name, case-insensitive) and drops empty ones.
void canonicalize(std::vector<MvAttribute>& attributes);

// The key of an MV object in `mv` (and the prefix of its `link_mv` keys): 8 bytes big endian,
// so that ids iterate in allocation order.
std::string mv_key(uint64_t id);
// Reads an id back from the first 8 bytes; throws CorruptRecord when there are fewer.
uint64_t mv_id_of(std::string_view key);

// Record (format 2): format byte, flags (bit 0: deleted), object type, the distinct rule names
// of the provenances, attribute count, then per attribute: name, value type, values, provenance
// (connector id, index of its rule name, precedence, when). Format 1, still read, kept the rule
// name itself in each provenance and had no table. Decoding throws CorruptRecord on an unknown
// format or flag, a rule index past the table, truncation or trailing bytes.
void encode_mv_object(const MvObject& object, std::string& out);
void decode_mv_object(uint64_t id, std::string_view value, MvObject& out);

}  // namespace idsync::store
