// How a new pending export combines with the one already waiting for the same object. A pure
// function, so that outbound sync can add deltas to an object several times before an export
// runs and the connector still receives the net change only.
//
// Kinds (existing, then incoming):
//   none,       X          -> X
//   add,        update     -> add: the deltas applied to the initial values, a rename to the DN
//   add,        delete     -> nothing, when the add was never attempted (the target never saw
//                             it); otherwise delete (a failed attempt may have created it)
//   add,        add        -> add with the incoming values (provisioning recomputed)
//   update,     update     -> update: deltas merged per attribute (below); rename: the last one
//                             (a rename back to the DN cancels)
//   update,     delete     -> delete (the updates are moot)
//   update,     add        -> add with the incoming values
//   delete,     update     -> delete (nothing to update on an object being deleted)
//   delete,     delete     -> delete
//   delete,     add        -> delete-add with the incoming values
//   delete-add, update     -> delete-add, the deltas folded into its values like an add
//   delete-add, delete     -> delete
//   delete-add, add        -> delete-add with the incoming values
// Nothing left (an update whose deltas all cancelled and no rename) -> nullopt.
//
// Deltas of one attribute on an update (values compared exactly, as bytes; the caller
// normalises values whose syntax is case-insensitive):
//   - replace overrides everything earlier: earlier adds and removes are dropped;
//   - add after replace: the values join the replace set; remove after replace: they leave it;
//   - add X after remove X: both cancel (X is where it was); else X joins the adds;
//   - remove X after add X: both cancel; else X joins the removes.
// Folding into an add: replace sets the values, add unions, remove subtracts; an attribute
// left with no values is dropped.
//
// Bookkeeping: created, attempts and last error are the existing one's (the error stays
// visible until the next export attempt); updated is the incoming one's; object type is the
// existing one's unless the incoming is an add.
#pragma once

#include <optional>

#include "store/pending_export.hpp"

namespace idsync::store {

std::optional<PendingExport> merge_pending_export(const std::optional<PendingExport>& existing,
                                                  const PendingExport& incoming);

// merge_pending_export(std::nullopt, add) for an add (or delete-add) that nothing was pending
// before, taking the add: provisioning, which builds its adds canonical already, copies no
// value.
PendingExport first_pending_add(PendingExport add);

}  // namespace idsync::store
