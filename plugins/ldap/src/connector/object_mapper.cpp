#include "object_mapper.hpp"

#include "attribute_description.hpp"
#include "guid.hpp"
#include "ldap_error.hpp"
#include "value_syntax.hpp"

namespace idsync::ldap {

const ObjectTypeSchema* ObjectMapper::object_type(const Entry& entry) const {
  // OpenLDAP names the structural class; AD lists objectClass from top to the most specific.
  std::string_view structural = entry.first("structuralObjectClass");
  if (structural.empty()) {
    const EntryAttribute* classes = entry.find("objectClass");
    if (!classes || classes->values.empty()) return nullptr;
    if (options_.active_directory()) {
      structural = classes->values.back();
    } else {
      // Without structuralObjectClass: the most specific selected class among the values.
      const ObjectTypeSchema* best = nullptr;
      size_t best_depth = 0;
      for (const auto& value : classes->values)
        if (const ObjectTypeSchema* t = schema_.type_of_class(value)) {
          const size_t depth = schema_.subschema().superclasses(value).size();
          if (!best || depth > best_depth) best = t, best_depth = depth;
        }
      return best;
    }
  }
  return schema_.type_of_class(structural);
}

std::string ObjectMapper::anchor_of_value(std::string_view raw) const {
  if (!options_.active_directory()) return std::string(raw);
  if (raw.size() != 16) return {};
  return guid_to_string(raw);
}

std::string ObjectMapper::anchor(const Entry& entry) const {
  return anchor_of_value(entry.first(options_.anchor_attribute()));
}

void ObjectMapper::complete_ranges(Connection& connection, Entry& entry) const {
  for (auto& attribute : entry.attributes) {
    if (attribute.name.find(';') == std::string::npos) continue;  // no options, so no range
    AttributeDescription d = parse_attribute_description(attribute.name);
    if (!d.ranged) continue;
    // Read on from the end of what we have until the server says this was the last chunk.
    while (d.range_high) {
      const uint64_t low = *d.range_high + 1;
      const std::string next =
          d.name + ";range=" + std::to_string(low) + "-" +
          (options_.range_size > 0 ? std::to_string(low + options_.range_size - 1) : "*");
      auto more = connection.read(entry.dn, {next});
      if (!more)
        throw sdk::Error(IDSYNC_ERR_PRECONDITION,
                         "\"" + entry.dn + "\" disappeared while its " + d.name +
                             " values were being read; the next import reads it again");
      const EntryAttribute* chunk = nullptr;
      for (const auto& a : more->attributes)
        if (same_attribute(parse_attribute_description(a.name).name, d.name)) chunk = &a;
      if (!chunk) break;  // no further values
      const AttributeDescription c = parse_attribute_description(chunk->name);
      attribute.values.insert(attribute.values.end(), chunk->values.begin(), chunk->values.end());
      if (!c.ranged) break;
      d.range_high = c.range_high;
    }
    attribute.name = d.name;
  }
}

std::string ObjectMapper::to_host(idsync_value_type value_type, const std::string& raw) {
  switch (value_type) {
    case IDSYNC_VALUE_BOOLEAN:
      return raw == "TRUE" || raw == "true" ? "true" : "false";
    case IDSYNC_VALUE_DATETIME:
      try {
        return raw.size() == 13 && raw.back() == 'Z' ? utc_time_to_rfc3339(raw)
                                                     : generalized_time_to_rfc3339(raw);
      } catch (const std::invalid_argument&) {
        return raw;  // an odd server value stays readable rather than failing the import
      }
    default:
      return raw;
  }
}

std::optional<ObjectMapper::Declared> ObjectMapper::declared(const ObjectTypeSchema* type,
                                                             std::string_view name) const {
  const sdk::AttrSpec* spec = type ? type->attribute(name) : nullptr;
  if (spec && (spec->flags & IDSYNC_ATTRINFO_SECRET)) return std::nullopt;  // never imported
  if (spec) return Declared{spec->name, spec->type};
  // Not declared for this type (filtered by config.attributes, or not in the class).
  if (type) return std::nullopt;
  if (!schema_.subschema().attribute(name)) return std::nullopt;
  return Declared{name, schema_.subschema().value_type(name)};
}

void ObjectMapper::write_attribute(const ObjectTypeSchema* type, std::string_view name,
                                   const std::vector<std::string>& values, idsync_attr_op op,
                                   sdk::ImportWriter& out) const {
  const std::optional<Declared> d = declared(type, name);
  if (!d) return;
  if (d->type == IDSYNC_VALUE_BOOLEAN || d->type == IDSYNC_VALUE_DATETIME) {
    std::vector<std::string> converted;
    converted.reserve(values.size());
    for (const auto& v : values) converted.push_back(to_host(d->type, v));
    out.attr(d->name, converted, d->type, op);
  } else {
    out.attr(d->name, values, d->type, op);
  }
}

void ObjectMapper::check_value_sizes(const Entry& entry) const {
  if (options_.max_value_bytes == 0) return;
  for (const auto& attribute : entry.attributes)
    for (const auto& value : attribute.values)
      if (value.size() > options_.max_value_bytes)
        throw sdk::Error(IDSYNC_ERR_INVALID_VALUE,
                         "\"" + entry.dn + "\": a value of " + attribute.name + " has " +
                             std::to_string(value.size()) +
                             " bytes, more than config.max_value_bytes (" +
                             std::to_string(options_.max_value_bytes) +
                             "); raise the limit or leave the attribute out with "
                             "config.attributes");
}

void ObjectMapper::write_state(const Entry& entry, const ObjectTypeSchema& type,
                               const std::string& anchor, sdk::ImportWriter& out) const {
  check_value_sizes(entry);
  out.begin(IDSYNC_CHANGE_STATE, type.name, anchor, entry.dn, entry.dn);
  out.attr(type.attributes.front().name, anchor);
  const std::string_view anchor_name = options_.anchor_attribute();
  for (const auto& attribute : entry.attributes) {
    if (CaseInsensitiveEqual()(attribute.name, anchor_name)) continue;
    write_attribute(&type, attribute.name, attribute.values, IDSYNC_ATTR_REPLACE, out);
  }
  out.end();
}

ImportedObject ObjectMapper::to_imported(Entry&& entry, const ObjectTypeSchema& type,
                                         std::string anchor) const {
  check_value_sizes(entry);
  ImportedObject object{&type, std::move(anchor), std::move(entry.dn), {}};
  object.attributes.reserve(entry.attributes.size());
  const std::string_view anchor_name = options_.anchor_attribute();
  for (auto& attribute : entry.attributes) {
    if (CaseInsensitiveEqual()(attribute.name, anchor_name)) continue;
    const std::optional<Declared> d = declared(&type, attribute.name);
    if (!d) continue;
    ImportedAttribute& a = object.attributes.emplace_back();
    a.name = d->name;
    a.type = d->type;
    a.values = std::move(attribute.values);
    if (a.type == IDSYNC_VALUE_BOOLEAN || a.type == IDSYNC_VALUE_DATETIME)
      for (auto& v : a.values) v = to_host(a.type, v);
  }
  return object;
}

}  // namespace idsync::ldap
