// How one imported record changes a staged connector-space object, and which pending import
// that leaves for the next sync. Pure: no store access, so every rule is unit-tested.
//
// The pending change is relative to what the last sync saw:
//   - a new object is a pending add, and stays an add until a sync consumes it;
//   - an object whose attributes changed is a pending update listing the changed attributes;
//   - an object whose DN alone changed is a pending rename (previous_dn keeps the old DN);
//   - a deleted object is a pending delete, except an object whose add was never synced,
//     which simply disappears;
//   - a record equal to what is staged leaves the pending change as it was;
//   - a record of a placeholder awaiting its add (store::CsObject::awaiting_add) stages the
//     object as new, no longer awaiting its add, except a delete, which leaves it as it is
//     (the import step withdraws the placeholder's add: page_stager.hpp);
//   - a first import's object (store::CsObject::first_import) of a connector not yet synced
//     comes here as the pending add it is (first_import.hpp); any change drops the mark.
#pragma once

#include <optional>

#include "importer/import_record.hpp"
#include "store/cs_object.hpp"
#include "store/import_progress.hpp"

namespace idsync::importer {

// Applies `record` to `staged` (nullopt: not in the connector space) and counts the outcome.
// Afterwards `staged` is the new state, nullopt when the object is to be erased.
void apply_record(const ImportRecord& record, std::optional<store::CsObject>& staged,
                  store::ImportCounters& counters);

// Stages the deletion of an object a complete full import did not see.
void apply_missing(std::optional<store::CsObject>& staged, store::ImportCounters& counters);

}  // namespace idsync::importer
