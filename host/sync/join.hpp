// The join of an unlinked CS object: which MV object it belongs to, if any.
#pragma once

#include <span>

#include "store/cs_object.hpp"
#include "sync/batch_overlay.hpp"
#include "sync/rule_catalog.hpp"
#include "sync_rules/join.hpp"

namespace idsync::sync {

struct ObjectJoin {
  sync_rules::JoinDecision decision;
  const sync_rules::SyncRule* rule = nullptr;  // whose join group decided (joined, ambiguous)
};

// The join groups of the in-scope rules `scoped`, rule by rule in precedence order (so the
// groups are tried in precedence order, then in each rule's order): the first group that finds
// a candidate decides (sync_rules::decide_join). A group's conditions are ANDed; a condition
// holds for the MV objects of the rule's MV type that share one of the CS attribute's values
// (the CS object lacking the attribute matches nothing). Lookups go through the overlay, so
// objects projected earlier in the batch are found.
ObjectJoin find_join(std::span<const CompiledRule* const> scoped, const store::CsObject& object,
                     BatchOverlay& overlay);

}  // namespace idsync::sync
