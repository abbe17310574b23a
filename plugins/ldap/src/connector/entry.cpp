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
  Entry entry;
  if (char* dn = ldap_get_dn(ld, message)) {
    entry.dn = dn;
    ldap_memfree(dn);
  }
  BerElement* ber = nullptr;
  for (char* name = ldap_first_attribute(ld, message, &ber); name != nullptr;
       name = ldap_next_attribute(ld, message, ber)) {
    EntryAttribute attribute{name, {}};
    if (berval** values = ldap_get_values_len(ld, message, name)) {
      for (berval** v = values; *v != nullptr; ++v)
        attribute.values.emplace_back((*v)->bv_val, (*v)->bv_len);
      ldap_value_free_len(values);
    }
    ldap_memfree(name);
    entry.attributes.push_back(std::move(attribute));
  }
  if (ber) ber_free(ber, 0);
  return entry;
}

}  // namespace idsync::ldap
