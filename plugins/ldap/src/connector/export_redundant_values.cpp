#include "export_redundant_values.hpp"

#include <algorithm>
#include <stdexcept>

#include "dn_scope.hpp"

namespace idsync::ldap {

namespace {

bool is_password(std::string_view attribute) {
  const std::string key = lower(attribute);
  return key == "unicodepwd" || key == "userpassword";
}

// The comparison key of a value of `attribute`.
std::string key_of(const std::string& value, bool is_dn) {
  if (!is_dn) return value;
  try {
    return normalize_dn(value);
  } catch (const std::invalid_argument&) {
    return value;
  }
}

// Whether the server returned `attribute` in ranges (AD's member;range=0-1499).
bool ranged(const Entry& entry, std::string_view attribute) {
  const std::string prefix = lower(attribute) + ";";
  for (const auto& a : entry.attributes)
    if (lower(a.name).rfind(prefix, 0) == 0) return true;
  return false;
}

}  // namespace

bool may_be_redundant(int code) {
  return code == LDAP_TYPE_OR_VALUE_EXISTS || code == LDAP_NO_SUCH_ATTRIBUTE;
}

std::optional<std::vector<Modification>> without_redundant_values(
    Connection& connection, const std::string& dn, const std::vector<Modification>& mods,
    const DirectorySchema& schema) {
  std::vector<std::string> names;
  for (const auto& m : mods)
    if ((m.op == LDAP_MOD_ADD || m.op == LDAP_MOD_DELETE) && !m.values.empty() &&
        !is_password(m.attribute))
      names.push_back(m.attribute);
  if (names.empty()) return std::nullopt;
  const std::optional<Entry> entry = connection.read(dn, names);
  if (!entry) return std::nullopt;

  bool pruned = false;
  std::vector<Modification> out;
  for (const auto& m : mods) {
    if ((m.op != LDAP_MOD_ADD && m.op != LDAP_MOD_DELETE) || m.values.empty() ||
        is_password(m.attribute)) {
      out.push_back(m);
      continue;
    }
    const EntryAttribute* a = entry->find(m.attribute);
    if (!a && ranged(*entry, m.attribute)) {
      out.push_back(m);  // only part of the values came back: nothing can be judged
      continue;
    }
    const bool is_dn = schema.subschema().value_type(m.attribute) == IDSYNC_VALUE_REFERENCE;
    std::vector<std::string> held;
    if (a)
      for (const auto& v : a->values) held.push_back(key_of(v, is_dn));
    Modification kept{m.op, m.attribute, {}};
    for (const auto& v : m.values) {
      const bool there = std::find(held.begin(), held.end(), key_of(v, is_dn)) != held.end();
      // An add of a value that is there, a delete of one that is not: already in effect.
      if (there == (m.op == LDAP_MOD_ADD))
        pruned = true;
      else
        kept.values.push_back(v);
    }
    if (!kept.values.empty()) out.push_back(std::move(kept));
  }
  if (!pruned) return std::nullopt;
  return out;
}

}  // namespace idsync::ldap
