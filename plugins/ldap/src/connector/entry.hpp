// One directory entry as read from the server: its DN and its attributes with their values as
// raw bytes (binary-safe). Attribute names are the descriptions the server returned, options
// included (`member;range=0-1499`) until range retrieval completes them.
#pragma once

#include <ldap.h>

#include <string>
#include <string_view>
#include <vector>

namespace idsync::ldap {

struct EntryAttribute {
  std::string name;
  std::vector<std::string> values;
};

struct Entry {
  std::string dn;
  std::vector<EntryAttribute> attributes;

  // The attribute named `name` (ASCII case-insensitive, options not stripped); nullptr if absent.
  const EntryAttribute* find(std::string_view name) const;
  EntryAttribute* find(std::string_view name);
  // The first value of `name`, or empty.
  std::string_view first(std::string_view name) const;
};

// Reads the entry `message` (an LDAP_RES_SEARCH_ENTRY) of connection `ld`.
Entry read_entry(LDAP* ld, LDAPMessage* message);

}  // namespace idsync::ldap
