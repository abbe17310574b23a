#include "store/cs_object.hpp"

#include <algorithm>

namespace idsync::store {

PendingChange effective_pending(const CsObject& object, bool connector_synced_once) {
  if (object.first_import && !connector_synced_once) return PendingChange::add;
  return object.pending;
}

CsObject as_shown(CsObject object, bool connector_synced_once) {
  object.pending = effective_pending(object, connector_synced_once);
  object.first_import = false;
  return object;
}

std::string_view to_string(PendingChange change) {
  switch (change) {
    case PendingChange::none:
      return "none";
    case PendingChange::add:
      return "add";
    case PendingChange::update:
      return "update";
    case PendingChange::remove:
      return "delete";
    case PendingChange::rename:
      return "rename";
  }
  return "unknown";
}

static char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

bool iless(std::string_view a, std::string_view b) {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(),
                                      [](char x, char y) { return lower(x) < lower(y); });
}

std::string lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lower(c);
  return out;
}

const Attribute* CsObject::find(std::string_view name) const {
  for (const auto& a : attributes)
    if (iequals(a.name, name)) return &a;
  return nullptr;
}

const ValueChange* CsObject::value_change(std::string_view name) const {
  return find_value_change(value_changes, name);
}

Attribute* CsObject::find(std::string_view name) {
  for (auto& a : attributes)
    if (iequals(a.name, name)) return &a;
  return nullptr;
}

void canonicalize(std::vector<Attribute>& attributes) {
  std::erase_if(attributes, [](const Attribute& a) { return a.values.empty(); });
  std::stable_sort(attributes.begin(), attributes.end(),
                   [](const Attribute& a, const Attribute& b) { return iless(a.name, b.name); });
}

}  // namespace idsync::store
