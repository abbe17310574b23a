#include "importer/value_changes.hpp"

#include <algorithm>
#include <iterator>

namespace idsync::importer {

namespace {

using store::Attribute;
using store::ValueChange;
using Values = std::vector<std::string>;

Values sorted_distinct(const Attribute* a) {
  Values out;
  if (a) out = a->values;
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

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

const Attribute* find(const std::vector<Attribute>& attributes, const std::string& name) {
  for (const Attribute& a : attributes)
    if (store::iequals(a.name, name)) return &a;
  return nullptr;
}

}  // namespace

void record_value_changes(std::vector<ValueChange>& into, const std::vector<Attribute>& before,
                          const std::vector<Attribute>& after,
                          const std::vector<std::string>& changed) {
  for (const std::string& name : changed) {
    const Attribute* old_values = find(before, name);
    const Attribute* new_values = find(after, name);
    const bool reference = (old_values && old_values->type == IDSYNC_VALUE_REFERENCE) ||
                           (new_values && new_values->type == IDSYNC_VALUE_REFERENCE);
    if (!reference) continue;
    const Values b = sorted_distinct(old_values);
    const Values a = sorted_distinct(new_values);
    const Values added_now = minus(a, b);
    const Values removed_now = minus(b, a);

    auto it = std::find_if(into.begin(), into.end(),
                           [&](const ValueChange& c) { return store::iequals(c.name, name); });
    if (it == into.end()) {
      if (added_now.empty() && removed_now.empty()) continue;
      it = into.insert(
          std::find_if(into.begin(), into.end(),
                       [&](const ValueChange& c) { return store::iless(name, c.name); }),
          ValueChange{name, {}, {}});
    }
    // Since the sync: S1 = synced + A1 - R1, now S2 = S1 + A2 - R2. A value added before and
    // removed now was never there for the sync; one removed before and added back is unchanged.
    ValueChange& c = *it;
    Values added = united(minus(c.added, removed_now), minus(added_now, c.removed));
    Values removed = united(minus(c.removed, added_now), minus(removed_now, c.added));
    c.added = std::move(added);
    c.removed = std::move(removed);
    if (c.added.empty() && c.removed.empty()) into.erase(it);
  }
}

}  // namespace idsync::importer
