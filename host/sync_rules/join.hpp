// The join decision: which metaverse object, if any, a connector-space object links to.
//
// As in Entra Connect Sync, a rule's join groups are tried in order. Within a group the
// conditions are ANDed; the engine finds the MV objects satisfying all of them (the store
// lookup is the engine's business) and hands the candidates over. The decision itself is pure:
//
//   - the first group with exactly one candidate joins that candidate;
//   - the first group with more than one candidate stops the search with an ambiguity, a join
//     error on the CS object: joining any one of them would be a guess, and trying later
//     (usually looser) groups would only hide the duplicate in the metaverse;
//   - groups with no candidate are skipped; when all are, there is no match (the engine may
//     then project, for an inbound Provision rule).
#ifndef IDSYNC_SYNC_RULES_JOIN_HPP
#define IDSYNC_SYNC_RULES_JOIN_HPP

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sync_rules/rule.hpp"

namespace idsync::sync_rules {

// The ids of the MV objects matching every condition of `group` (the group at `index` of the
// rule's join list). Duplicates are tolerated; order does not matter.
using JoinLookup =
    std::function<std::vector<std::string>(std::size_t index, const JoinGroup& group)>;

struct JoinDecision {
  enum class Outcome { kJoined, kNoMatch, kAmbiguous };
  Outcome outcome = Outcome::kNoMatch;
  // The deciding group (kJoined, kAmbiguous); unset for kNoMatch.
  std::optional<std::size_t> group_index;
  // kJoined: the one MV object. kAmbiguous: every candidate, sorted and distinct.
  // kNoMatch: empty.
  std::vector<std::string> candidates;

  bool operator==(const JoinDecision&) const = default;
};

// Calls `lookup` for the groups in order, stopping at the first with a candidate. No groups
// means no match.
JoinDecision decide_join(const std::vector<JoinGroup>& groups, const JoinLookup& lookup);

}  // namespace idsync::sync_rules

#endif  // IDSYNC_SYNC_RULES_JOIN_HPP
