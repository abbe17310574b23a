// Moves a provisioned CS object from its provisional anchor (provisional_anchor.hpp), or from
// the final anchor it was staged under when the system filed it elsewhere, to the anchor the
// connected system assigned at export: the cs record (no longer awaiting its add), its cs_dn and
// cs_seen entries, its links both ways and any export confirmation, all in the caller's batch.
// References waiting for the object (reference_waits.hpp: a DN-less object is named by its anchor,
// which it has only now) have their holders marked for the next outbound sync.
//
// Not moved: sync_queue entries and MV provenance that name the provisional anchor (the sync
// engine keys them by MV object or re-reads the CS object; a queued entry for the provisional
// anchor finds no object and is dropped). When an object already exists under the real anchor
// (an import saw it before the export's result was stored) nothing is moved and false is
// returned: the two are reconciled by the next sync's join, not guessed at here.
#pragma once

#include <rocksdb/write_batch.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "store/store.hpp"

namespace idsync::exporter {

struct AnchorMove {
  std::string from;  // the provisional anchor
  std::string to;    // the anchor the connected system assigned
};

// Moves each object as described above, reading what every move needs with one MultiGet; the
// result says, per move, whether it moved. Reads committed state: at most one move per anchor
// per batch.
std::vector<bool> move_cs_anchors(store::Store& store, uint32_t connector_id,
                                  rocksdb::WriteBatch& batch, const std::vector<AnchorMove>& moves);

// Marks the objects under `anchors` as in the connected system: each placeholder awaiting its
// add (store::CsObject::awaiting_add) that the export added under the anchor it was staged
// under loses the mark, in `batch`, read with one MultiGet. An anchor whose object is not such
// a placeholder is left alone.
void confirm_placeholders(store::Store& store, uint32_t connector_id, rocksdb::WriteBatch& batch,
                          const std::vector<std::string>& anchors);

}  // namespace idsync::exporter
