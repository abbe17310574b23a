// Turns directory entries into connector-space records: which object type an entry is (its
// structural class, when that class is selected), its anchor (objectGUID in GUID text form, or
// entryUUID), and its values in the host's value types (times as RFC 3339, booleans as
// true/false, binary as bytes). Also completes ranged attributes: Active Directory returns at
// most 1500 values of `member` at a time as `member;range=0-1499`; the rest is read in further
// base searches until the range ends with `*`.
#pragma once

#include <idsync/sdk.hpp>
#include <optional>
#include <string>

#include "connection.hpp"
#include "directory_schema.hpp"
#include "entry.hpp"
#include "imported_page.hpp"
#include "ldap_options.hpp"

namespace idsync::ldap {

class ObjectMapper {
 public:
  ObjectMapper(const Options& options, const DirectorySchema& schema)
      : options_(options), schema_(schema) {}

  // The object type of `entry`, or nullptr when its structural class is not selected (a
  // computer when only users are, an OU). Needs objectClass (and structuralObjectClass when
  // the server publishes it).
  const ObjectTypeSchema* object_type(const Entry& entry) const;
  // The anchor in text form; empty when the entry has none (not readable by this account).
  std::string anchor(const Entry& entry) const;
  // The anchor of an AD objectGUID value or an entryUUID value.
  std::string anchor_of_value(std::string_view raw) const;

  // Reads the rest of every ranged attribute of `entry` and renames it to its plain name.
  void complete_ranges(Connection& connection, Entry& entry) const;

  // Throws sdk::Error INVALID_VALUE when a value of `entry` is larger than
  // config.max_value_bytes, naming the entry, the attribute and the size.
  void check_value_sizes(const Entry& entry) const;

  // Pushes `entry` as a complete STATE record (after check_value_sizes).
  void write_state(const Entry& entry, const ObjectTypeSchema& type, const std::string& anchor,
                   sdk::ImportWriter& out) const;
  // `entry` as the record write_state would push (after check_value_sizes), owning its values:
  // they are moved out of `entry`, not copied, and converted in place.
  ImportedObject to_imported(Entry&& entry, const ObjectTypeSchema& type, std::string anchor) const;
  // Pushes one attribute's values converted to the declared type; skips undeclared ones.
  void write_attribute(const ObjectTypeSchema* type, std::string_view name,
                       const std::vector<std::string>& values, idsync_attr_op op,
                       sdk::ImportWriter& out) const;
  // A value converted from the directory's form to the host's form for `value_type`.
  static std::string to_host(idsync_value_type value_type, const std::string& raw);

 private:
  // How attribute `name` of an object of `type` (nullptr: of any type) is pushed: its declared
  // name and value type; nullopt when it is not pushed (undeclared, secret).
  struct Declared {
    std::string_view name;
    idsync_value_type type;
  };
  std::optional<Declared> declared(const ObjectTypeSchema* type, std::string_view name) const;

  const Options& options_;
  const DirectorySchema& schema_;
};

}  // namespace idsync::ldap
