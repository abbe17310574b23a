#include "importer/value_changes.hpp"

#include <algorithm>

namespace idsync::importer {

namespace {

using store::Attribute;
using store::ValueChange;

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
    const ValueChange now =
        store::value_change(name, old_values ? old_values->values : std::vector<std::string>(),
                            new_values ? new_values->values : std::vector<std::string>());
    auto it = std::find_if(into.begin(), into.end(),
                           [&](const ValueChange& c) { return store::iequals(c.name, name); });
    if (it == into.end()) {
      if (now.empty()) continue;
      it = into.insert(
          std::find_if(into.begin(), into.end(),
                       [&](const ValueChange& c) { return store::iless(name, c.name); }),
          ValueChange{name, {}, {}});
    }
    store::compose(*it, now.added, now.removed);
    if (it->empty()) into.erase(it);
  }
}

}  // namespace idsync::importer
