// How the importer reads a first import's object (store::CsObject::first_import) of a connector
// that has not completed a Full Sync: as the pending add it is, so that a later change keeps it
// an add and a delete withdraws it (apply_change.hpp), exactly as when every new object was
// stored as a pending add.
#pragma once

#include <cstdint>

#include "store/cs_object.hpp"
#include "store/store.hpp"

namespace idsync::importer {

// Turns `object`, just read from connector `connector_id`'s space, into a pending add when it is
// a first import's object of a connector not yet synced (`synced_once` false). Not when an
// interrupted first Full Sync has already linked it to an MV object or made it a disconnector:
// that sync left its record as it was, and must now see the change itself, so that no link or
// disconnector mark outlives the object. Reads the store only for a first import's object of
// such a connector.
void read_as_pending_add(const store::Store& store, uint32_t connector_id, bool synced_once,
                         store::CsObject& object);

}  // namespace idsync::importer
