#include "graph_schema.hpp"

namespace idsync::msgraph {

namespace {

Property text(std::string name) { return {std::move(name)}; }
Property texts(std::string name) { return {std::move(name), IDSYNC_VALUE_STRING, true}; }
Property flag(std::string name) { return {std::move(name), IDSYNC_VALUE_BOOLEAN}; }
Property service_set(Property p) {
  p.read_only = true;
  return p;
}

// Configured extra properties are text; a trailing "[]" makes one multi-valued.
void add_extras(std::vector<Property>& properties, const std::vector<std::string>& extras) {
  for (std::string name : extras) {
    const bool multi = name.size() > 2 && name.ends_with("[]");
    if (multi) name.resize(name.size() - 2);
    bool known = false;
    for (const Property& p : properties) known = known || p.name == name;
    if (!known) properties.push_back({name, IDSYNC_VALUE_STRING, multi});
  }
}

std::vector<Property> user_properties(const Options& options) {
  std::vector<Property> p = {
      service_set(text("id")),
      flag("accountEnabled"),
      text("displayName"),
      text("givenName"),
      text("surname"),
      text("userPrincipalName"),
      text("mailNickname"),
      text("mail"),
      texts("otherMails"),
      text("department"),
      text("jobTitle"),
      text("employeeId"),
      text("companyName"),
      text("officeLocation"),
      text("mobilePhone"),
      texts("businessPhones"),
      text("streetAddress"),
      text("city"),
      text("state"),
      text("postalCode"),
      text("country"),
      text("usageLocation"),
      text("onPremisesImmutableId"),
      text("userType"),
      service_set(texts("proxyAddresses")),
      service_set(flag("onPremisesSyncEnabled")),
      service_set({"createdDateTime", IDSYNC_VALUE_DATETIME}),
  };
  add_extras(p, options.user_attributes);
  Property password{std::string(kPasswordAttribute)};
  password.secret = true;
  p.push_back(password);
  return p;
}

std::vector<Property> group_properties(const Options& options) {
  std::vector<Property> p = {
      service_set(text("id")),
      text("displayName"),
      text("description"),
      text("mailNickname"),
      flag("mailEnabled"),
      flag("securityEnabled"),
      texts("groupTypes"),
      service_set(text("mail")),
      service_set(texts("proxyAddresses")),
      service_set({"createdDateTime", IDSYNC_VALUE_DATETIME}),
  };
  add_extras(p, options.group_attributes);
  p.push_back({std::string(kMembersAttribute), IDSYNC_VALUE_REFERENCE, true});
  return p;
}

}  // namespace

ObjectTypeSchema::ObjectTypeSchema(std::string name, std::vector<Property> properties)
    : name_(std::move(name)), properties_(std::move(properties)) {}

const Property* ObjectTypeSchema::find(std::string_view name) const {
  for (const Property& p : properties_)
    if (p.name == name) return &p;
  return nullptr;
}

std::string ObjectTypeSchema::select() const {
  std::string out;
  for (const Property& p : properties_) {
    if (p.secret || p.name == kMembersAttribute) continue;
    if (!out.empty()) out += ',';
    out += p.name;
  }
  return out;
}

GraphSchema::GraphSchema(const Options& options) {
  if (options.wants("user")) types_.emplace_back("user", user_properties(options));
  if (options.wants("group")) types_.emplace_back("group", group_properties(options));
}

const ObjectTypeSchema* GraphSchema::type(std::string_view name) const {
  for (const ObjectTypeSchema& t : types_)
    if (t.name() == name) return &t;
  return nullptr;
}

void GraphSchema::write(sdk::SchemaWriter& out) const {
  for (const ObjectTypeSchema& t : types_) {
    std::vector<sdk::AttrSpec> attributes;
    for (const Property& p : t.properties()) {
      uint32_t flags = 0;
      if (p.multi) flags |= IDSYNC_ATTRINFO_MULTIVALUED;
      if (p.read_only) flags |= IDSYNC_ATTRINFO_READONLY;
      if (p.secret) flags |= IDSYNC_ATTRINFO_SECRET;
      attributes.push_back({p.name, p.type, flags});
    }
    out.object_type(t.name(), kAnchorAttribute, attributes);
  }
}

}  // namespace idsync::msgraph
