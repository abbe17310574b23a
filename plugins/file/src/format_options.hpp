// What a reader or writer needs to know about the file layout, independent of the SDK's config
// plumbing so that tests can build one directly.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace idsync::file {

enum class Format { csv, ldif, jsonl };

std::string_view format_name(Format f);

struct FormatOptions {
  Format format = Format::csv;
  // CSV: the anchor column. LDIF: the anchor attribute, or "dn" to use the DN. JSONL: the anchor
  // key, or "_dn" to use the DN.
  std::string anchor;
  std::string dn_column;  // CSV only; empty: objects have no DN
  std::string object_type = "person";
  std::string object_type_column;  // CSV column / LDIF attribute (last value) / JSONL key
  char delimiter = ',';
  std::string multi_value_separator = ";";  // CSV only; empty: no splitting
  std::string change_type_column;           // CSV only: add|update|delete|state per row
  std::vector<std::string> attributes;      // import only these (plus the anchor); empty: all
  // Attributes whose values name other objects of the same file: their DN when objects have
  // DNs, else their anchor. They import (and are declared) as IDSYNC_VALUE_REFERENCE.
  std::vector<std::string> reference_attributes;

  // True when the anchor is the DN rather than an attribute of its own.
  bool anchor_is_dn() const;
  // Whether `name` passes the `attributes` filter (the anchor attribute always does).
  bool wants_attribute(std::string_view name) const;
  // Whether `name` is one of reference_attributes.
  bool is_reference(std::string_view name) const;
  // Attribute names compare ASCII-case-insensitively in LDIF (as in LDAP), exactly elsewhere.
  bool same_name(std::string_view a, std::string_view b) const;
};

// How a file is being read.
struct ReadMode {
  // Change records (LDIF changetype delete/modify/modrdn, JSONL "_change": "update"/"delete",
  // CSV change type column) are allowed. In a full-state file they are an error.
  bool change_records = false;
  // Stop before a final record that is not terminated yet (no final newline; LDIF: no blank line
  // after it) instead of reading it: a change file may be in the middle of being appended to.
  bool stop_at_unterminated = false;
};

bool iequals(std::string_view a, std::string_view b);

}  // namespace idsync::file
