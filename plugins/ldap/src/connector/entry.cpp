#include "entry.hpp"

#include "attribute_description.hpp"

namespace idsync::ldap {

const EntryAttribute* Entry::find(std::string_view name) const {
  for (const auto& a : attributes)
    if (same_attribute(a.name, name)) return &a;
  return nullptr;
}

EntryAttribute* Entry::find(std::string_view name) {
  for (auto& a : attributes)
    if (same_attribute(a.name, name)) return &a;
  return nullptr;
}

std::string_view Entry::first(std::string_view name) const {
  const EntryAttribute* a = find(name);
  return a && !a->values.empty() ? std::string_view(a->values.front()) : std::string_view();
}

Entry read_entry(LDAP* ld, LDAPMessage* message) {
  // One pass over the entry's BER: ldap_get_values_len would scan the entry from its start for
  // every attribute, which made reading entries quadratic in their attribute count.
  Entry entry;
  BerElement* ber = nullptr;
  berval dn{0, nullptr};
  if (ldap_get_dn_ber(ld, message, &ber, &dn) != LDAP_SUCCESS) {
    if (ber) ber_free(ber, 0);
    return entry;
  }
  entry.dn.assign(dn.bv_val ? dn.bv_val : "", dn.bv_len);
  entry.attributes.reserve(16);
  for (;;) {
    berval name{0, nullptr};
    berval* values = nullptr;
    if (ldap_get_attribute_ber(ld, message, ber, &name, &values) != LDAP_SUCCESS ||
        name.bv_val == nullptr)
      break;
    EntryAttribute& attribute = entry.attributes.emplace_back();
    attribute.name.assign(name.bv_val, name.bv_len);
    if (values) {
      size_t count = 0;
      while (values[count].bv_val != nullptr) ++count;
      attribute.values.reserve(count);
      for (berval* v = values; v->bv_val != nullptr; ++v)
        attribute.values.emplace_back(v->bv_val, v->bv_len);
      ber_memfree(values);
    }
  }
  ber_free(ber, 0);
  return entry;
}

}  // namespace idsync::ldap
