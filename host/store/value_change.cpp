#include "store/value_change.hpp"

#include <algorithm>
#include <iterator>

#include "store/cs_object.hpp"

namespace idsync::store {

namespace {

using Values = std::vector<std::string>;

Values minus(const Values& a, const Values& b) {
  Values out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

Values united(const Values& a, const Values& b) {
  Values out;
  std::set_union(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

void sort_distinct(Values& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

}  // namespace

const ValueChange* find_value_change(const std::vector<ValueChange>& changes,
                                     std::string_view name) {
  for (const ValueChange& c : changes)
    if (iequals(c.name, name)) return &c;
  return nullptr;
}

void compose(ValueChange& into, const Values& added, const Values& removed) {
  // With B the baseline: S1 = B + A1 - R1, then S2 = S1 + A2 - R2, so
  // S2 - B = (A1 - R2) + (A2 - R1) and B - S2 = (R1 - A2) + (R2 - A1).
  Values net_added = united(minus(into.added, removed), minus(added, into.removed));
  Values net_removed = united(minus(into.removed, added), minus(removed, into.added));
  into.added = std::move(net_added);
  into.removed = std::move(net_removed);
}

ValueChange value_change(std::string name, Values before, Values after) {
  sort_distinct(before);
  sort_distinct(after);
  ValueChange out;
  out.name = std::move(name);
  out.added = minus(after, before);
  out.removed = minus(before, after);
  return out;
}

}  // namespace idsync::store
