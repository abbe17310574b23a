// A connector-space object: the staged copy of one object a connector sees.
#pragma once

#include <idsync/plugin_abi.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "store/value_change.hpp"

namespace idsync::store {

// What the next sync must do with a staged object (its pending import).
enum class PendingChange : uint8_t {
  none = 0,    // staged state equals what the last sync saw
  add = 1,     // new since the last sync
  update = 2,  // attributes (and perhaps the DN) changed
  remove = 3,  // gone from the source ("delete")
  rename = 4,  // only the DN changed
};
std::string_view to_string(PendingChange change);

struct Attribute {
  std::string name;
  idsync_value_type type = IDSYNC_VALUE_STRING;
  std::vector<std::string> values;  // never empty in a stored object: absent means no values

  bool operator==(const Attribute&) const = default;
};

struct CsObject {
  std::string anchor;
  std::string object_type;
  std::string dn;
  std::string previous_dn;  // set while a rename is pending: the DN the last sync saw
  PendingChange pending = PendingChange::none;
  std::vector<std::string> changed_attributes;  // names, for a pending update (sorted)
  std::vector<Attribute> attributes;            // sorted by name, case-insensitively
  // For a pending update: the value-level change of each changed reference attribute (sorted by
  // name, case-insensitively). A changed reference attribute without one changed as a whole.
  std::vector<ValueChange> value_changes;
  // Provisioned by outbound sync under the anchor its ADD names (a connector whose adds are
  // filed under their anchor attribute's value: IDSYNC_ATTRINFO_ANCHOR_FROM_ADD), and not yet
  // in the connected system: the ADD is not exported, and no import has seen the object. Such
  // a placeholder holds no attributes and no pending change; the export that adds it, or an
  // import that meets it under its anchor, clears the mark. A placeholder under a provisional
  // anchor (provisional_anchor.hpp) is one by its anchor and never carries the mark.
  bool awaiting_add = false;
  // Imported as new while the connector had not completed a Full Sync, and unchanged by any
  // import since: a pending add until the connector's first Full Sync completes
  // (ProgressRecords::synced_once), and a synced object with no pending change after it. Such
  // an object is stored with `pending` none: the first Full Sync, which reads every object
  // anyway, then leaves its record as it is instead of rewriting every record of a first
  // import only to clear its mark. Never set together with a pending change or awaiting_add.
  // An import that changes the object before that sync keeps the mark (the object stays an add,
  // with its new values); one after it drops the mark and stages the change. effective_pending()
  // says which the object is.
  bool first_import = false;

  const Attribute* find(std::string_view name) const;
  Attribute* find(std::string_view name);
  const ValueChange* value_change(std::string_view name) const;
};

// What the next sync must do with `object`, given whether its connector has completed a Full
// Sync (ProgressRecords::synced_once): its pending change, or add for a first_import object of
// a connector that has not.
PendingChange effective_pending(const CsObject& object, bool connector_synced_once);

// `object` as an admin sees it: its effective pending change in `pending`, without the
// first_import mark. For showing only: such a copy is never stored.
CsObject as_shown(CsObject object, bool connector_synced_once);

// Case-insensitive ASCII comparison: LDAP, AD and SCIM attribute names are case-insensitive.
bool iequals(std::string_view a, std::string_view b);
bool iless(std::string_view a, std::string_view b);
std::string lowercase(std::string_view s);

// Puts attributes in canonical order (by name, case-insensitive) and drops empty ones.
void canonicalize(std::vector<Attribute>& attributes);

}  // namespace idsync::store
