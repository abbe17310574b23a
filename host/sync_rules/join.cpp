#include "sync_rules/join.hpp"

#include <algorithm>
#include <utility>

namespace idsync::sync_rules {

JoinDecision decide_join(const std::vector<JoinGroup>& groups, const JoinLookup& lookup) {
  for (std::size_t i = 0; i < groups.size(); ++i) {
    std::vector<std::string> found = lookup(i, groups[i]);
    // The same MV object may come back once per matching value of a multi-valued attribute;
    // it is still one candidate.
    std::sort(found.begin(), found.end());
    found.erase(std::unique(found.begin(), found.end()), found.end());
    if (found.empty()) continue;
    JoinDecision d;
    d.outcome =
        found.size() == 1 ? JoinDecision::Outcome::kJoined : JoinDecision::Outcome::kAmbiguous;
    d.group_index = i;
    d.candidates = std::move(found);
    return d;
  }
  return JoinDecision{};
}

}  // namespace idsync::sync_rules
