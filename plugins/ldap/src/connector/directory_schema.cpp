#include "directory_schema.hpp"

#include <algorithm>
#include <set>

#include "ldap_error.hpp"

namespace idsync::ldap {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

size_t CaseInsensitiveHash::operator()(std::string_view text) const {
  size_t h = 14695981039346656037ull;  // FNV-1a over the lowercased bytes
  for (char c : text) {
    h ^= static_cast<unsigned char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    h *= 1099511628211ull;
  }
  return h;
}

bool CaseInsensitiveEqual::operator()(std::string_view a, std::string_view b) const {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const char x = a[i] >= 'A' && a[i] <= 'Z' ? a[i] + 32 : a[i];
    const char y = b[i] >= 'A' && b[i] <= 'Z' ? b[i] + 32 : b[i];
    if (x != y) return false;
  }
  return true;
}

const sdk::AttrSpec* ObjectTypeSchema::attribute(std::string_view name) const {
  auto it = by_name.find(name);
  return it == by_name.end() ? nullptr : &attributes[it->second];
}

const ObjectTypeSchema* DirectorySchema::type_of_class(std::string_view cls) const {
  for (const auto& t : types_)
    if (CaseInsensitiveEqual()(t.name, cls)) return &t;
  return nullptr;
}

namespace {

Subschema read_subschema(Connection& connection, const DirectoryInfo& info) {
  if (info.subschema_dn.empty())
    throw sdk::Error(IDSYNC_ERR_PRECONDITION,
                     "the server's root DSE names no subschemaSubentry: cannot read its schema");
  auto entry =
      connection.read(info.subschema_dn, {"attributeTypes", "objectClasses", "dITContentRules"});
  if (!entry)
    throw sdk::Error(IDSYNC_ERR_PRECONDITION,
                     "the subschema entry \"" + info.subschema_dn + "\" cannot be read");
  Subschema schema;
  try {
    if (const auto* a = entry->find("attributeTypes"))
      for (const auto& v : a->values) schema.add_attribute_type(v);
    if (const auto* a = entry->find("objectClasses"))
      for (const auto& v : a->values) schema.add_object_class(v);
    if (const auto* a = entry->find("dITContentRules"))
      for (const auto& v : a->values) schema.add_dit_content_rule(v);
  } catch (const std::invalid_argument& e) {
    throw sdk::Error(IDSYNC_ERR_PRECONDITION,
                     "the subschema entry \"" + info.subschema_dn + "\": " + e.what());
  }
  return schema;
}

// Active Directory attributes that are not data to synchronize, from the schema partition's
// systemFlags:
// - constructed (FLAG_ATTR_IS_CONSTRUCTED, 4): computed on read (tokenGroups, msDS-*-Computed);
//   they may only be asked for in a base search and fail a subtree search;
// - not replicated (FLAG_ATTR_NOT_REPLICATE, 1): each DC has its own value (lastLogon,
//   logonCount, badPwdCount), so they would change with the DC read and DirSync never reports
//   them.
std::set<std::string> unsynchronized_attributes(Connection& connection, const DirectoryInfo& info) {
  // The security descriptor needs the SD flags control to be read by most accounts, and
  // synchronizing ACLs is not the connector's business unless an admin lists it.
  std::set<std::string> names{"ntsecuritydescriptor"};
  if (info.schema_naming_context.empty()) return names;
  SearchRequest request{info.schema_naming_context,
                        LDAP_SCOPE_ONELEVEL,
                        "(&(objectClass=attributeSchema)(|(systemFlags:1.2.840.113556.1.4.803:=4)"
                        "(systemFlags:1.2.840.113556.1.4.803:=1)))",
                        {"lDAPDisplayName"},
                        {},
                        0};
  const OperationResult r =
      connection.search(request, {[&](Entry&& e, const std::vector<Control>&) {
                                    if (auto name = e.first("lDAPDisplayName"); !name.empty())
                                      names.insert(lower(name));
                                  },
                                  nullptr, nullptr});
  if (!r.ok())
    throw_ldap(r.code, "reading the constructed and non-replicated attributes of the schema",
               r.message);
  return names;
}

// Passwords: AD never returns unicodePwd; OpenLDAP returns userPassword hashes to an admin,
// which are secrets too. Neither is read.
bool is_password(const std::string& lower_name) {
  return lower_name == "unicodepwd" || lower_name == "userpassword";
}

}  // namespace

DirectorySchema DirectorySchema::load(Connection& connection, const DirectoryInfo& info,
                                      const Options& options) {
  DirectorySchema out;
  out.subschema_ = read_subschema(connection, info);
  const Subschema& s = out.subschema_;
  std::set<std::string> wanted;
  for (const auto& a : options.attributes) {
    if (!s.attribute(a))
      throw sdk::Error(IDSYNC_ERR_CONFIG,
                       "config.attributes: the server's schema has no attribute \"" + a + "\"");
    wanted.insert(lower(a));
  }
  // Left out unless config.attributes names them.
  const std::set<std::string> unsynchronized = options.active_directory()
                                                   ? unsynchronized_attributes(connection, info)
                                                   : std::set<std::string>{};
  const std::string anchor = options.anchor_attribute();
  std::set<std::string> requested{lower(anchor), "objectclass"};
  std::set<std::string> ranged;
  out.requested_ = {anchor, "objectClass"};
  if (!options.active_directory()) out.requested_.push_back("structuralObjectClass");
  for (const auto& cls : options.object_classes) {
    const ObjectClassInfo* info = s.object_class(cls);
    if (!info)
      throw sdk::Error(IDSYNC_ERR_CONFIG, "object type \"" + cls +
                                              "\": the server's schema has no object class of "
                                              "that name");
    ObjectTypeSchema type;
    type.name = cls;
    // The anchor first, as the host shows it: AD's binary objectGUID is rendered as text.
    type.attributes.push_back({anchor, IDSYNC_VALUE_STRING, IDSYNC_ATTRINFO_READONLY});
    for (const auto& name : s.attributes_of_class(cls)) {
      const std::string key = lower(name);
      if (key == lower(anchor)) continue;
      if (is_password(key)) {
        // Write-only, whatever config.attributes says: exported when provisioning, never read
        // (and masked by the host everywhere).
        type.attributes.push_back({name, IDSYNC_VALUE_STRING, IDSYNC_ATTRINFO_SECRET});
        continue;
      }
      if (!wanted.empty() && !wanted.count(key) && key != "objectclass") continue;
      if (wanted.empty() && unsynchronized.count(key)) continue;
      const AttributeTypeInfo* at = s.attribute(name);
      uint32_t flags = 0;
      if (!at || !at->single_value) flags |= IDSYNC_ATTRINFO_MULTIVALUED;
      if (at && (at->no_user_modification || at->operational)) flags |= IDSYNC_ATTRINFO_READONLY;
      type.attributes.push_back({name, s.value_type(name), flags});
      if (requested.insert(key).second) out.requested_.push_back(name);
    }
    for (size_t i = 0; i < type.attributes.size(); ++i)
      type.by_name.emplace(type.attributes[i].name, i);
    for (const auto& a : type.attributes)
      if (a.type == IDSYNC_VALUE_REFERENCE && (a.flags & IDSYNC_ATTRINFO_MULTIVALUED))
        ranged.insert(lower(a.name));
    out.types_.push_back(std::move(type));
  }
  for (const auto& name : out.requested_)
    out.whole_read_.push_back(options.range_size > 0 && ranged.count(lower(name))
                                  ? name + ";range=0-" + std::to_string(options.range_size - 1)
                                  : name);
  return out;
}

void DirectorySchema::write(sdk::SchemaWriter& out) const {
  for (const auto& t : types_) out.object_type(t.name, t.attributes.front().name, t.attributes);
}

}  // namespace idsync::ldap
