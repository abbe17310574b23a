// Attribute flow with precedence across connectors: how one CS object's contributions change
// its MV object.
//
// The MV value of an attribute follows from the decisive contributions (values or
// AuthoritativeNull) of all linked CS objects, ranked by precedence number (lower first), then
// by connector id:
//
//   - the first is AuthoritativeNull: the attribute is removed;
//   - the first gives values with merge type Update: the attribute takes them, alone;
//   - the first gives values with merge type Merge or MergeCaseInsensitive: the attribute takes
//     the union of the values of every contribution with a Merge type. Update contributions and
//     AuthoritativeNull ranked below the first take no part (an AuthoritativeNull with a Merge
//     type gives nothing to the union); NULL and IgnoreThisFlow give nothing either. Values
//     count once when equal as bytes or, when the first contribution is MergeCaseInsensitive,
//     equal ignoring ASCII case (the first spelling in rank order, then in the source's own
//     order, is kept). The union is sorted bytewise, so that the same sources give byte-equal
//     metaverses whatever order they synced in, and takes the first contribution's type.
//
// The attribute's provenance names the first contribution: for a merged attribute the
// best-precedence contributor, although other connectors' values are in it. Later decisions
// compare against that precedence, so an Update contribution with a lower number takes over.
//
// Rather than re-evaluating every linked object each time one changes, the provenance says who
// won last time:
//
//   - held by another connector's rule: this object's contribution takes over only when its
//     precedence number is lower; otherwise the holder keeps it (the holder's own changes are
//     applied when the holder syncs);
//   - held by this connector: a contribution at the same or a better precedence replaces it;
//     IgnoreThisFlow keeps it; NULL, a worse precedence, or no contribution at all (the rule
//     left scope, the object disconnects) asks the other linked objects and the ranking above
//     decides; nobody decisive removes the value;
//   - no value yet: the ranking of this object's contribution and the others' (the others are
//     asked because one may hold the attribute empty with AuthoritativeNull, which leaves no
//     provenance behind).
//
// A union depends on every source, so it is recomputed from all of them (the others asked
// through OthersFn):
//
//   - whenever this object's flow into the attribute has a Merge type and gives values, NULL or
//     AuthoritativeNull, whoever holds the attribute: values it no longer gives leave the
//     union, the other sources' values stay. IgnoreThisFlow leaves the attribute as it is (and
//     gives nothing when another source recomputes it);
//   - when this object contributes nothing at all (it left scope or disconnects), for each
//     attribute of more than one value held by another connector, since this object's values
//     may be in it.
//
// When another connector holds the attribute and this object does not outrank it, only a
// union is applied: a recomputation that ends with an Update or AuthoritativeNull of another
// connector first leaves that decision to the holder's own sync, as above.
//
// Attributes flowed with Update only are decided as before and ask the others no more often,
// except for that last case: an object contributing nothing that holds no attribute itself
// (otherwise the others are evaluated anyway) has the others evaluated once when another
// connector holds a multi-valued attribute. A merge flow that falls out of scope while another
// rule of the same object stays in scope gives no NULL: its values leave the union at the next
// recomputation (the next sync of a source merging into it).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/mv_object.hpp"
#include "sync/contribution.hpp"

namespace idsync::sync {

struct SourcedContribution {
  Contribution contribution;  // decisive
  uint32_t connector_id = 0;
};

// Every decisive contribution to one attribute of the MV object's linked CS objects other than
// the one being synced, in any order.
struct OtherContributions {
  std::vector<SourcedContribution> decisive;

  OtherContributions() = default;
  // None or one: for a caller that knows there is at most one other source (a projected MV
  // object has none).
  OtherContributions(std::optional<SourcedContribution> only) {
    if (only) decisive.push_back(std::move(*only));
  }
};

// The others' contributions to the attribute (lowercase name). Called only when needed (see
// above), since it evaluates the other linked objects. May throw expr::EvalError.
using OthersFn = std::function<OtherContributions(std::string_view key)>;

// Applies the contributions `own` of the CS object of `connector_id` to `mv`, as described
// above, for every attribute `own` targets and every attribute this connector holds (and, when
// `own` is empty, every multi-valued attribute). Returns the names of attributes whose values
// changed. `now_unix_ms` goes into new provenance.
std::vector<std::string> apply_flow(store::MvObject& mv, uint32_t connector_id,
                                    const Contributions& own, const OthersFn& others,
                                    int64_t now_unix_ms);

}  // namespace idsync::sync
