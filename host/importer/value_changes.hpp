// The value-level change of reference attributes between two imports, composed over the
// imports before the next sync: what store::CsObject::value_changes records.
#pragma once

#include <string>
#include <vector>

#include "store/cs_object.hpp"

namespace idsync::importer {

// Adds to `into` (sorted by name) the change of each attribute of `changed` that holds
// references, from `before` to `after` (both canonical), composed with what `into` already
// says: the result is always the change from the values the last sync saw. An attribute whose
// values end where the sync saw them drops out.
void record_value_changes(std::vector<store::ValueChange>& into,
                          const std::vector<store::Attribute>& before,
                          const std::vector<store::Attribute>& after,
                          const std::vector<std::string>& changed);

}  // namespace idsync::importer
