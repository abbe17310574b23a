// Attribute flow with precedence across connectors: how one CS object's contributions change
// its MV object.
//
// The MV value of an attribute is the decisive contribution (values or AuthoritativeNull) of
// the lowest precedence number among all linked CS objects. Rather than re-evaluating every
// linked object each time one changes, the MV attribute's provenance says who won last time:
//
//   - held by another connector's rule: this object's contribution takes over only when its
//     precedence number is lower; otherwise the holder keeps it (the holder's own changes are
//     applied when the holder syncs);
//   - held by this connector: a contribution at the same or a better precedence replaces it;
//     IgnoreThisFlow keeps it; NULL, a worse precedence, or no contribution at all (the rule
//     left scope, the object disconnects) asks the other linked objects for their best and the
//     better of the two wins; nobody decisive removes the value;
//   - no value yet: the better of this object's contribution and the others' (the others are
//     asked because one may hold the attribute empty with AuthoritativeNull, which leaves no
//     provenance behind).
//
// AuthoritativeNull winning removes the value. Merge modes other than Update are not applied
// yet: every flow replaces the attribute's values.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/mv_object.hpp"
#include "sync/contribution.hpp"

namespace idsync::sync {

struct SourcedContribution {
  Contribution contribution;  // decisive
  uint32_t connector_id = 0;
};

// The best decisive contribution to the attribute (lowercase name) among the MV object's
// linked CS objects other than the one being synced; nullopt when none decides. May throw
// expr::EvalError.
using OthersFn = std::function<std::optional<SourcedContribution>(std::string_view key)>;

// Applies the contributions `own` of the CS object of `connector_id` to `mv`, as described
// above, for every attribute `own` targets and every attribute this connector holds. Returns
// the names of attributes whose values changed. `now_unix_ms` goes into new provenance.
std::vector<std::string> apply_flow(store::MvObject& mv, uint32_t connector_id,
                                    const Contributions& own, const OthersFn& others,
                                    int64_t now_unix_ms);

}  // namespace idsync::sync
