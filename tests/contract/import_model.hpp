// The host's copy of what a connector imported, and how two imports are compared.
#pragma once

#include <idsync/plugin_abi.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace idsync::contract {

struct ImportedAttr {
  std::string name;
  idsync_value_type type = IDSYNC_VALUE_STRING;
  idsync_attr_op op = IDSYNC_ATTR_REPLACE;
  std::vector<std::string> values;
};

struct ImportedObject {
  idsync_change change = IDSYNC_CHANGE_STATE;
  std::string object_type;
  std::string anchor;
  std::string dn;
  std::vector<ImportedAttr> attributes;

  // nullptr when the object has no attribute of that name.
  const ImportedAttr* find(const std::string& name) const;
};

// A form in which two records are equal exactly when they carry the same change, type, anchor,
// DN and attributes. Attribute order and value order are ignored: the ABI gives them no meaning,
// and a connector may legitimately emit them differently when it reads in other chunks.
std::string canonical(const ImportedObject& object);

// `change object_type anchor` for messages.
std::string describe(const ImportedObject& object);
std::string change_name(idsync_change change);

// An empty string when `actual` holds the same records as `expected` (as multisets of
// canonical forms); otherwise a report of what is missing, extra, duplicated or different,
// naming anchors, cut after `max_lines` lines.
std::string compare_objects(const std::vector<ImportedObject>& expected,
                            const std::vector<ImportedObject>& actual, std::size_t max_lines = 20);

// Anchors that occur more than once, printable.
std::vector<std::string> duplicate_anchors(const std::vector<ImportedObject>& objects);

}  // namespace idsync::contract
