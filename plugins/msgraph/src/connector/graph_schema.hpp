// What the connector reads and writes of each object type: Graph properties by their v1.0
// names, with the value type the host stores them as. The anchor is the object's `id`, which
// the service assigns at creation; objects have no DN.
#pragma once

#include <idsync/sdk.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "graph_options.hpp"

namespace idsync::msgraph {

struct Property {
  std::string name;
  idsync_value_type type = IDSYNC_VALUE_STRING;
  bool multi = false;
  bool read_only = false;  // the service sets it (id, mail of a group, proxyAddresses)
  bool secret = false;     // written once, never read back (the password)
};

// The attribute that carries a created user's first password: written into passwordProfile.
inline constexpr std::string_view kPasswordAttribute = "password";
// The group attribute holding member references (ids of users and groups).
inline constexpr std::string_view kMembersAttribute = "members";
inline constexpr std::string_view kAnchorAttribute = "id";

class ObjectTypeSchema {
 public:
  ObjectTypeSchema(std::string name, std::vector<Property> properties);
  const std::string& name() const { return name_; }
  const std::vector<Property>& properties() const { return properties_; }
  const Property* find(std::string_view name) const;
  // The $select list of a read: every readable property (not members, not the password).
  std::string select() const;

 private:
  std::string name_;
  std::vector<Property> properties_;
};

class GraphSchema {
 public:
  explicit GraphSchema(const Options& options);
  // nullptr for a type the connector does not handle (or the configuration left out).
  const ObjectTypeSchema* type(std::string_view name) const;
  const std::vector<ObjectTypeSchema>& types() const { return types_; }
  void write(sdk::SchemaWriter& out) const;

 private:
  std::vector<ObjectTypeSchema> types_;
};

}  // namespace idsync::msgraph
