// How SCIM's nested attributes become the flat, named attributes of the host's schema, and
// back. One FlatAttribute says where its values live in a resource and in a PATCH path.
//
// Flattening (the README's "Attribute names" section says the same for admins):
//   simple attribute                   its name                  userName, active, nickName
//   simple multi-valued attribute      its name (multi-valued)   a custom list of strings
//   single-valued complex, per sub     parent.sub                name.givenName
//   single-valued complex with value   its name (a reference)    manager (enterprise.manager)
//     and $ref (a link to a resource)
//   multi-valued complex with `type`,  parent.type for `value`;  emails.work, phoneNumbers.mobile,
//     per canonical type               parent.type.sub else      addresses.work.locality
//   multi-valued complex of links to   its name: the entries'    members, groups (references)
//     resources ($ref), or without       `value`s (multi-valued)
//     `type`, with `value`
//   an extension schema's attribute    short.name, then as above enterprise.department
// The extension's short name is the URN segment after "extension:" (enterprise), else the
// schema's name in lower case, else the URN's last segment. Typed entries without declared
// canonical values use work, home and other. Sub-attributes `type`, `primary`, `display` and
// `$ref` of typed and value lists are not mapped; nested complex sub-attributes are not either.
//
// Common attributes (RFC 7643 section 3.1) are always there: `id` (read-only, the anchor),
// `externalId` (read-write: it carries the source's anchor), `meta.created` and
// `meta.lastModified` (read-only).
#pragma once

#include <idsync/plugin_abi.h>

#include <string>
#include <string_view>
#include <vector>

#include "discovery/resource_types.hpp"
#include "discovery/schema_defs.hpp"

namespace idsync::scim {

enum class Shape {
  kSimple,        // resource[parent], a scalar or (multi) an array of scalars
  kSubAttribute,  // resource[parent][sub]
  kSingleRef,     // resource[parent]["value"]
  kTyped,         // the entry of resource[parent] whose type is type_value, its [sub]
  kValueList,     // resource[parent][*]["value"]
};

struct FlatAttribute {
  std::string name;        // the host's name
  std::string schema;      // URN of the schema it belongs to
  bool extension = false;  // lives under resource[schema] (an extension schema)
  std::string parent;      // the SCIM attribute: "emails"
  std::string sub;         // the sub-attribute, when the shape has one: "value", "givenName"
  std::string type_value;  // kTyped: "work"
  Shape shape = Shape::kSimple;
  std::string scim_type = "string";  // of the leaf value: boolean, integer, binary, ...
  idsync_value_type value_type = IDSYNC_VALUE_STRING;
  bool multi = false;  // several values (kValueList, multi-valued kSimple)
  uint32_t flags = 0;  // IDSYNC_ATTRINFO_*

  bool read_only() const { return (flags & IDSYNC_ATTRINFO_READONLY) != 0; }
  // The attribute's path in a PATCH operation (RFC 7644 section 3.5.2): "name.givenName",
  // "emails[type eq \"work\"].value", "urn:…:enterprise:2.0:User:department".
  std::string patch_path() const;
  // kTyped: the path of the whole typed entry, "emails[type eq \"work\"]".
  std::string entry_path() const;
  // The path of the attribute itself, prefixed with the extension URN when there is one:
  // "emails", "urn:…:User:manager".
  std::string parent_path() const;
};

// The object type a resource type becomes.
struct ResourceModel {
  ResourceType type;
  std::vector<FlatAttribute> attributes;  // in schema order, common attributes first

  const FlatAttribute* find(std::string_view name) const;  // exact host name
};

// The short name of an extension schema (see the header comment).
std::string extension_short_name(const SchemaDef& schema);

// The model of `type` from the schema definitions. Schemas the service does not describe give
// no attributes beyond the common ones.
ResourceModel flatten(const ResourceType& type, const std::vector<SchemaDef>& schemas);

// The default canonical types of typed multi-valued attributes that declare none.
const std::vector<std::string>& default_entry_types();

}  // namespace idsync::scim
