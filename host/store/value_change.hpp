// How a multi-valued attribute's values changed, value by value: what lets the engine carry a
// change of one member of a 100,000-member group as one value, from the import through sync
// to the export, instead of the whole list (docs/sync-engine.md, "References").
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace idsync::store {

// The change from a baseline (the values the last sync saw, for a CS object; the values before
// the marks, for an MV object) to the current values. Values compare as bytes.
struct ValueChange {
  std::string name;
  std::vector<std::string> added;    // sorted, distinct, not in the baseline
  std::vector<std::string> removed;  // sorted, distinct, in the baseline

  bool empty() const { return added.empty() && removed.empty(); }
  bool operator==(const ValueChange&) const = default;
};

// The change named `name` (ignoring ASCII case) in `changes`, or null.
const ValueChange* find_value_change(const std::vector<ValueChange>& changes,
                                     std::string_view name);

// Composes a later change (`added`, `removed`: sorted, distinct, relative to the values after
// `into`) into `into`, which stays relative to its baseline: a value added and removed again
// drops out, one removed and added back is unchanged.
void compose(ValueChange& into, const std::vector<std::string>& added,
             const std::vector<std::string>& removed);

// The change from `before` to `after` (any order, duplicates allowed).
ValueChange value_change(std::string name, std::vector<std::string> before,
                         std::vector<std::string> after);

}  // namespace idsync::store
