#include "model/flat_attribute.hpp"

#include <algorithm>

#include "model/filter_text.hpp"
#include "model/json_access.hpp"

namespace idsync::scim {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool is_resource_reference(const AttributeDef& def) {
  return std::any_of(def.reference_types.begin(), def.reference_types.end(),
                     [](const std::string& t) { return t != "external" && t != "uri"; });
}

// The host's type of a leaf; nullopt for complex values, which are never leaves.
std::optional<idsync_value_type> value_type(const AttributeDef& leaf) {
  const std::string t = lower(leaf.type);
  if (t == "string" || t == "decimal") return IDSYNC_VALUE_STRING;
  if (t == "boolean") return IDSYNC_VALUE_BOOLEAN;
  if (t == "integer") return IDSYNC_VALUE_INTEGER;
  if (t == "datetime") return IDSYNC_VALUE_DATETIME;
  if (t == "binary") return IDSYNC_VALUE_BINARY;
  if (t == "reference")
    return is_resource_reference(leaf) ? IDSYNC_VALUE_REFERENCE : IDSYNC_VALUE_STRING;
  return std::nullopt;
}

uint32_t mutability_flags(const AttributeDef& def) {
  const std::string m = lower(def.mutability);
  if (m == "readonly") return IDSYNC_ATTRINFO_READONLY;
  if (m == "writeonly") return IDSYNC_ATTRINFO_SECRET;
  return 0;
}

// A complex attribute whose entries point at other resources (members, groups, manager): its
// `value` is a resource id, its `$ref` a resource reference.
bool points_at_resources(const AttributeDef& complex) {
  const AttributeDef* ref = complex.sub_attribute("$ref");
  if (ref && is_resource_reference(*ref)) return true;
  const AttributeDef* value = complex.sub_attribute("value");
  return value && same_name(value->type, "reference") && is_resource_reference(*value);
}

// A list of other resources: one whose entries link to resources, or RFC 7643's own lists
// (a service may leave out their $ref).
bool is_reference_list(const AttributeDef& list) {
  return points_at_resources(list) || same_name(list.name, "members") ||
         same_name(list.name, "groups");
}

class Builder {
 public:
  Builder(ResourceModel& model, std::string schema, bool extension, std::string prefix)
      : model_(model),
        schema_(std::move(schema)),
        extension_(extension),
        prefix_(std::move(prefix)) {}

  void add(const AttributeDef& def) {
    if (model_.find(prefix_ + def.name) || is_common(def.name)) return;
    if (!same_name(def.type, "complex")) return simple(def);
    if (!def.multi_valued) {
      if (def.sub_attribute("value") && points_at_resources(def)) return single_ref(def);
      for (const AttributeDef& sub : def.sub_attributes) sub_attribute(def, sub);
      return;
    }
    // Members carry a `type` too (User, Group), but they are a list of references, not typed
    // values: a group has many members of each type.
    if (def.sub_attribute("value") && is_reference_list(def)) return value_list(def);
    if (def.sub_attribute("type")) return typed(def);
    if (def.sub_attribute("value")) return value_list(def);
  }

 private:
  static bool is_common(std::string_view name) {
    return same_name(name, "id") || same_name(name, "externalId") || same_name(name, "meta") ||
           same_name(name, "schemas");
  }

  FlatAttribute base(const AttributeDef& def) const {
    FlatAttribute a;
    a.schema = schema_;
    a.extension = extension_;
    a.parent = def.name;
    a.flags = mutability_flags(def);
    return a;
  }

  bool leaf(FlatAttribute& a, const AttributeDef& leaf_def) const {
    const auto type = value_type(leaf_def);
    if (!type) return false;
    a.value_type = *type;
    a.scim_type = leaf_def.type;
    a.flags |= mutability_flags(leaf_def);
    // A secret is never read-only as well (the ABI treats such an attribute as secret).
    if (a.flags & IDSYNC_ATTRINFO_SECRET) a.flags &= ~IDSYNC_ATTRINFO_READONLY;
    if (a.multi) a.flags |= IDSYNC_ATTRINFO_MULTIVALUED;
    return true;
  }

  void push(FlatAttribute a) { model_.attributes.push_back(std::move(a)); }

  void simple(const AttributeDef& def) {
    FlatAttribute a = base(def);
    a.name = prefix_ + def.name;
    a.multi = def.multi_valued;
    if (def.required) a.flags |= IDSYNC_ATTRINFO_REQUIRED;
    if (leaf(a, def)) push(std::move(a));
  }

  void single_ref(const AttributeDef& def) {
    FlatAttribute a = base(def);
    a.name = prefix_ + def.name;
    a.shape = Shape::kSingleRef;
    a.sub = "value";
    if (leaf(a, *def.sub_attribute("value"))) {
      a.value_type = IDSYNC_VALUE_REFERENCE;
      push(std::move(a));
    }
  }

  void sub_attribute(const AttributeDef& def, const AttributeDef& sub) {
    FlatAttribute a = base(def);
    a.name = prefix_ + def.name + "." + sub.name;
    a.shape = Shape::kSubAttribute;
    a.sub = sub.name;
    a.multi = sub.multi_valued;
    if (leaf(a, sub)) push(std::move(a));
  }

  void typed(const AttributeDef& def) {
    const AttributeDef* type = def.sub_attribute("type");
    const std::vector<std::string>& types =
        type->canonical_values.empty() ? default_entry_types() : type->canonical_values;
    const AttributeDef* value = def.sub_attribute("value");
    for (const std::string& t : types) {
      if (value) {
        typed_leaf(def, *value, t, prefix_ + def.name + "." + t);
        continue;
      }
      for (const AttributeDef& sub : def.sub_attributes)
        if (!skipped_in_entries(sub.name))
          typed_leaf(def, sub, t, prefix_ + def.name + "." + t + "." + sub.name);
    }
  }

  void typed_leaf(const AttributeDef& def, const AttributeDef& sub, const std::string& type,
                  std::string name) {
    FlatAttribute a = base(def);
    a.name = std::move(name);
    a.shape = Shape::kTyped;
    a.sub = sub.name;
    a.type_value = type;
    if (leaf(a, sub)) push(std::move(a));
  }

  void value_list(const AttributeDef& def) {
    FlatAttribute a = base(def);
    a.name = prefix_ + def.name;
    a.shape = Shape::kValueList;
    a.sub = "value";
    a.multi = true;
    if (!leaf(a, *def.sub_attribute("value"))) return;
    if (is_reference_list(def)) a.value_type = IDSYNC_VALUE_REFERENCE;
    push(std::move(a));
  }

  static bool skipped_in_entries(std::string_view sub) {
    return same_name(sub, "type") || same_name(sub, "primary") || same_name(sub, "display") ||
           same_name(sub, "$ref");
  }

  ResourceModel& model_;
  std::string schema_;
  bool extension_;
  std::string prefix_;
};

void add_common(ResourceModel& model) {
  auto common = [&](std::string name, std::string parent, std::string sub, Shape shape,
                    std::string scim_type, idsync_value_type type, uint32_t flags) {
    FlatAttribute a;
    a.name = std::move(name);
    a.schema = model.type.schema;
    a.parent = std::move(parent);
    a.sub = std::move(sub);
    a.shape = shape;
    a.scim_type = std::move(scim_type);
    a.value_type = type;
    a.flags = flags;
    model.attributes.push_back(std::move(a));
  };
  common("id", "id", "", Shape::kSimple, "string", IDSYNC_VALUE_STRING, IDSYNC_ATTRINFO_READONLY);
  common("externalId", "externalId", "", Shape::kSimple, "string", IDSYNC_VALUE_STRING, 0);
  common("meta.created", "meta", "created", Shape::kSubAttribute, "dateTime", IDSYNC_VALUE_DATETIME,
         IDSYNC_ATTRINFO_READONLY);
  common("meta.lastModified", "meta", "lastModified", Shape::kSubAttribute, "dateTime",
         IDSYNC_VALUE_DATETIME, IDSYNC_ATTRINFO_READONLY);
}

}  // namespace

std::string FlatAttribute::parent_path() const {
  return extension ? schema + ":" + parent : parent;
}

std::string FlatAttribute::entry_path() const {
  return parent_path() + "[type eq " + filter_string(type_value) + "]";
}

std::string FlatAttribute::patch_path() const {
  switch (shape) {
    case Shape::kSubAttribute:
      return parent_path() + "." + sub;
    case Shape::kTyped:
      return entry_path() + "." + sub;
    case Shape::kSimple:
    case Shape::kSingleRef:
    case Shape::kValueList:
      break;
  }
  return parent_path();
}

const FlatAttribute* ResourceModel::find(std::string_view name) const {
  for (const FlatAttribute& a : attributes)
    if (a.name == name) return &a;
  return nullptr;
}

const std::vector<std::string>& default_entry_types() {
  static const std::vector<std::string> types = {"work", "home", "other"};
  return types;
}

std::string extension_short_name(const SchemaDef& schema) {
  const std::string_view id = schema.id;
  constexpr std::string_view kMarker = ":extension:";
  if (const auto at = id.find(kMarker); at != std::string_view::npos) {
    std::string_view rest = id.substr(at + kMarker.size());
    rest = rest.substr(0, rest.find(':'));
    if (!rest.empty()) return lower(rest);
  }
  if (!schema.name.empty()) return lower(schema.name);
  return lower(id.substr(id.rfind(':') + 1));
}

ResourceModel flatten(const ResourceType& type, const std::vector<SchemaDef>& schemas) {
  ResourceModel model;
  model.type = type;
  add_common(model);
  if (const SchemaDef* core = find_schema(schemas, type.schema)) {
    Builder builder(model, core->id, false, "");
    for (const AttributeDef& def : core->attributes) builder.add(def);
  }
  for (const SchemaExtensionRef& ext : type.extensions) {
    const SchemaDef* schema = find_schema(schemas, ext.schema);
    if (!schema) continue;
    Builder builder(model, schema->id, true, extension_short_name(*schema) + ".");
    for (const AttributeDef& def : schema->attributes) builder.add(def);
  }
  return model;
}

}  // namespace idsync::scim
