// One page of a full import as the reader thread hands it to the host's thread: every object
// decoded, mapped and converted to the host's value types, owning its values, so that the thread
// that pushes it into the ImportWriter needs neither the LDAP connection nor the entries it came
// from. Names and object types point into the session's schema, which does not change while an
// import runs and outlives it.
#pragma once

#include <idsync/sdk.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "directory_schema.hpp"

namespace idsync::ldap {

struct ImportedAttribute {
  std::string_view name;  // the declared name (the schema's spelling)
  idsync_value_type type = IDSYNC_VALUE_STRING;
  std::vector<std::string> values;  // in the host's form (times as RFC 3339, booleans as words)
};

// A complete STATE record.
struct ImportedObject {
  const ObjectTypeSchema* type = nullptr;
  std::string anchor;
  std::string dn;
  std::vector<ImportedAttribute> attributes;  // the anchor attribute not among them
};

struct ImportedPage {
  std::vector<ImportedObject> objects;
  // How far into the partition's search this page reaches: raw entries passed (skipped, out of
  // scope and unreadable ones included) and the DN of the last of them (empty: none on this
  // page). These make the checkpoint committed with the page.
  uint64_t passed = 0;
  std::string last_dn;
  bool last = false;  // the search's last page: no cookie for another
  // Said on the host's thread when the page is pushed, not on the reader's.
  std::vector<std::string> warnings;
};

// Pushes `object` as one STATE record: the anchor attribute first, then its attributes.
void write_object(const ImportedObject& object, sdk::ImportWriter& out);

}  // namespace idsync::ldap
