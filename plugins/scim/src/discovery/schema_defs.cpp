#include "discovery/schema_defs.hpp"

#include "model/json_access.hpp"

namespace idsync::scim {

namespace {

std::vector<std::string> strings(const boost::json::value& object, std::string_view name) {
  std::vector<std::string> out;
  if (const auto* list = member(object, name); list && list->is_array())
    for (const auto& v : list->get_array())
      if (v.is_string()) out.emplace_back(v.get_string());
  return out;
}

std::vector<AttributeDef> attributes(const boost::json::value& object, std::string_view name);

AttributeDef attribute(const boost::json::value& entry) {
  AttributeDef def;
  def.name = string_member(entry, "name").value_or("");
  def.type = string_member(entry, "type").value_or("string");
  def.multi_valued = bool_member(entry, "multiValued", false);
  def.required = bool_member(entry, "required", false);
  def.mutability = string_member(entry, "mutability").value_or("readWrite");
  def.canonical_values = strings(entry, "canonicalValues");
  def.reference_types = strings(entry, "referenceTypes");
  def.sub_attributes = attributes(entry, "subAttributes");
  return def;
}

std::vector<AttributeDef> attributes(const boost::json::value& object, std::string_view name) {
  std::vector<AttributeDef> out;
  if (const auto* list = member(object, name); list && list->is_array())
    for (const auto& entry : list->get_array()) {
      AttributeDef def = attribute(entry);
      if (!def.name.empty()) out.push_back(std::move(def));
    }
  return out;
}

SchemaDef schema(const boost::json::value& entry) {
  return SchemaDef{string_member(entry, "id").value_or(""),
                   string_member(entry, "name").value_or(""), attributes(entry, "attributes")};
}

}  // namespace

const AttributeDef* AttributeDef::sub_attribute(std::string_view sub) const {
  for (const AttributeDef& s : sub_attributes)
    if (same_name(s.name, sub)) return &s;
  return nullptr;
}

std::vector<SchemaDef> parse_schemas(const boost::json::value& body) {
  std::vector<SchemaDef> out;
  const boost::json::array* list = nullptr;
  if (body.is_array())
    list = &body.get_array();
  else if (const auto* resources = member(body, "Resources"); resources && resources->is_array())
    list = &resources->get_array();
  if (list) {
    for (const auto& entry : *list)
      if (SchemaDef s = schema(entry); !s.id.empty()) out.push_back(std::move(s));
  } else if (body.is_object()) {
    if (SchemaDef s = schema(body); !s.id.empty()) out.push_back(std::move(s));
  }
  return out;
}

const SchemaDef* find_schema(const std::vector<SchemaDef>& schemas, std::string_view id) {
  for (const SchemaDef& s : schemas)
    if (same_name(s.id, id)) return &s;
  return nullptr;
}

}  // namespace idsync::scim
