#include "export_changes.hpp"

#include <stdexcept>

#include "export_password.hpp"
#include "export_values.hpp"

namespace idsync::ldap {

namespace {

// Whether the directory would refuse a write of `name` because the attribute is its own.
bool read_only(std::string_view name, const ObjectTypeSchema* type, const DirectorySchema& schema,
               const Options& options) {
  if (lower(name) == lower(options.anchor_attribute())) return true;
  if (type)
    if (const sdk::AttrSpec* spec = type->attribute(name))
      return (spec->flags & IDSYNC_ATTRINFO_READONLY) != 0;
  const AttributeTypeInfo* info = schema.subschema().attribute(name);
  return info && (info->no_user_modification || info->operational);
}

idsync_value_type declared_type(std::string_view name, const ObjectTypeSchema* type,
                                const DirectorySchema& schema) {
  if (type)
    if (const sdk::AttrSpec* spec = type->attribute(name)) return spec->type;
  if (schema.subschema().attribute(name)) return schema.subschema().value_type(name);
  return IDSYNC_VALUE_STRING;
}

int ldap_op(idsync_export_kind kind, const sdk::AttrView& attribute) {
  if (kind == IDSYNC_EXPORT_ADD) return LDAP_MOD_ADD;
  switch (attribute.op) {
    case IDSYNC_ATTR_ADD:
      return LDAP_MOD_ADD;
    case IDSYNC_ATTR_REMOVE:
      return attribute.values.empty() ? LDAP_MOD_REPLACE : LDAP_MOD_DELETE;
    default:
      return LDAP_MOD_REPLACE;
  }
}

}  // namespace

const Modification* ExportChanges::find(std::string_view attribute) const {
  const std::string key = lower(attribute);
  for (const auto& m : mods)
    if (lower(m.attribute) == key) return &m;
  return nullptr;
}

ExportChanges build_changes(const sdk::ExportOp& op, const Options& options,
                            const DirectorySchema& schema) {
  ExportChanges out;
  const ObjectTypeSchema* type = schema.type_of_class(op.object_type);
  for (const sdk::AttrView& attribute : op.attributes) {
    const int mod_op = ldap_op(op.kind, attribute);
    // Nothing to add: an ADD's empty attribute or an UPDATE adding no values.
    if (mod_op == LDAP_MOD_ADD && attribute.values.empty()) continue;
    Modification mod{mod_op, std::string(attribute.name), {}};
    if (auto password = password_attribute(options.kind, attribute.name)) {
      mod.attribute = *password;
      out.has_password = true;
      for (const auto& value : attribute.values) {
        out.secrets.emplace_back(value);
        try {
          mod.values.push_back(encode_password(options.kind, value));
        } catch (const std::invalid_argument& e) {
          throw sdk::Error(IDSYNC_ERR_INVALID_VALUE,
                           "attribute \"" + std::string(attribute.name) + "\": " + e.what());
        }
      }
      out.mods.push_back(std::move(mod));
      continue;
    }
    if (read_only(attribute.name, type, schema, options)) {
      out.skipped.emplace_back(attribute.name);
      continue;
    }
    const idsync_value_type declared = declared_type(attribute.name, type, schema);
    for (const auto& value : attribute.values) {
      try {
        mod.values.push_back(to_directory_value(attribute.type, declared, value));
      } catch (const std::invalid_argument& e) {
        throw sdk::Error(IDSYNC_ERR_INVALID_VALUE,
                         "attribute \"" + std::string(attribute.name) + "\": " + e.what());
      }
    }
    out.mods.push_back(std::move(mod));
  }
  return out;
}

}  // namespace idsync::ldap
