// The object types the connector offers and the attributes of each, from the server's
// subschema entry: an object type is a structural object class (user, group, inetOrgPerson),
// its attributes are what the class, its superclasses and (AD) its auxiliary classes allow,
// narrowed to config.attributes when given. Value types come from the attribute syntaxes, so
// objectSid is binary, member a reference, whenChanged a time.
#pragma once

#include <idsync/sdk.hpp>
#include <string>
#include <unordered_map>
#include <vector>

#include "connection.hpp"
#include "directory_info.hpp"
#include "ldap_options.hpp"
#include "subschema.hpp"

namespace idsync::ldap {

// ASCII case-insensitive hashing and equality for attribute names, usable with string_view
// keys so that a lookup per imported value allocates nothing.
struct CaseInsensitiveHash {
  using is_transparent = void;
  size_t operator()(std::string_view text) const;
};
struct CaseInsensitiveEqual {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const;
};

struct ObjectTypeSchema {
  std::string name;  // the class name as configured
  std::vector<sdk::AttrSpec> attributes;
  std::unordered_map<std::string, size_t, CaseInsensitiveHash, CaseInsensitiveEqual> by_name;

  const sdk::AttrSpec* attribute(std::string_view name) const;
};

class DirectorySchema {
 public:
  // Reads the subschema entry. Throws sdk::Error CONFIG for a configured class or attribute
  // the server does not know.
  static DirectorySchema load(Connection& connection, const DirectoryInfo& info,
                              const Options& options);

  const std::vector<ObjectTypeSchema>& object_types() const { return types_; }
  // The object type of class `cls` (case-insensitive), or nullptr when not selected.
  const ObjectTypeSchema* type_of_class(std::string_view cls) const;
  const Subschema& subschema() const { return subschema_; }
  // The attributes a read asks for: every declared attribute plus what the connector needs to
  // classify an entry.
  const std::vector<std::string>& requested_attributes() const { return requested_; }
  // The same for a read of whole entries: with config.range_size, multi-valued references are
  // asked for as their first range (`member;range=0-N`), the rest read by ObjectMapper.
  const std::vector<std::string>& whole_read_attributes() const { return whole_read_; }

  void write(sdk::SchemaWriter& out) const;

 private:
  Subschema subschema_;
  std::vector<ObjectTypeSchema> types_;
  std::vector<std::string> requested_;
  std::vector<std::string> whole_read_;
};

std::string lower(std::string_view text);

}  // namespace idsync::ldap
