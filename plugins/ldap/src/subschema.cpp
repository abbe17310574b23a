#include "subschema.hpp"

#include <ldap_schema.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <stdexcept>

#include "value_syntax.hpp"

namespace idsync::ldap {
namespace {

std::string lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// The key an attribute description is looked up by: its name without options, lowercased.
std::string attribute_key(std::string_view description) {
  return lowercase(description.substr(0, description.find(';')));
}

std::vector<std::string> strings_of(char** list) {
  std::vector<std::string> out;
  for (std::size_t i = 0; list != nullptr && list[i] != nullptr; ++i) out.emplace_back(list[i]);
  return out;
}

// Calls libldap's parser for one definition, turning its failure into an exception that names
// the definition and where the parser stopped.
template <typename T, typename Parse>
T* parse_definition(std::string_view text, const char* what, Parse parse) {
  std::string shown(text.substr(0, 200));
  if (text.size() > 200) shown += "...";
  const std::string prefix = std::string("cannot parse the ") + what + " '" + shown + "': ";
  // libldap reads a C string: an embedded NUL would silently cut the definition short.
  if (text.find('\0') != std::string_view::npos) {
    throw std::invalid_argument(prefix + "it contains a NUL byte");
  }
  // Spare NULs after the terminator: on some truncated definitions (a quoted OID that never
  // closes) libldap 2.5 reads a few bytes past the end of its input.
  std::string copy(text);
  copy.append(16, '\0');
  int code = 0;
  const char* where = nullptr;
  T* parsed = parse(copy.c_str(), &code, &where, LDAP_SCHEMA_ALLOW_ALL);
  if (parsed != nullptr) return parsed;
  std::string message = prefix + ldap_scherr2str(code);
  // libldap may leave `where` past the terminator when the text ends early: only a position
  // inside the text is shown.
  const auto start = reinterpret_cast<std::uintptr_t>(copy.c_str());
  const auto at = reinterpret_cast<std::uintptr_t>(where);
  if (where != nullptr && at >= start && at < start + text.size()) {
    message += " near '" + std::string(text.substr(at - start, 30)) + "'";
  }
  throw std::invalid_argument(message);
}

// Adds `item` (whose OID and NAMEs are its keys) to `items`, replacing an earlier definition
// with the same OID, and indexes it.
template <typename T>
std::size_t upsert(std::deque<T>& items, std::unordered_map<std::string, std::size_t>& index,
                   T item) {
  const std::string oid_key = lowercase(item.oid);
  std::size_t at = items.size();
  if (const auto it = index.find(oid_key);
      it != index.end() && lowercase(items[it->second].oid) == oid_key) {
    at = it->second;
    std::vector<std::string> old_keys{oid_key};
    for (const std::string& name : items[at].names) old_keys.push_back(lowercase(name));
    for (const std::string& key : old_keys) {
      if (const auto old = index.find(key); old != index.end() && old->second == at) {
        index.erase(old);
      }
    }
    items[at] = std::move(item);
  } else {
    items.push_back(std::move(item));
  }
  index[oid_key] = at;
  for (const std::string& name : items[at].names) index[lowercase(name)] = at;
  return at;
}

bool less_case_insensitive(const std::string& a, const std::string& b) {
  const std::string la = lowercase(a), lb = lowercase(b);
  return la != lb ? la < lb : a < b;
}

}  // namespace

void Subschema::add_attribute_type(std::string_view text) {
  LDAPAttributeType* raw =
      parse_definition<LDAPAttributeType>(text, "attribute type", ldap_str2attributetype);
  const std::unique_ptr<LDAPAttributeType, void (*)(LDAPAttributeType*)> parsed(
      raw, ldap_attributetype_free);
  AttributeTypeInfo info;
  info.oid = parsed->at_oid != nullptr ? parsed->at_oid : "";
  info.names = strings_of(parsed->at_names);
  info.name = info.names.empty() ? info.oid : info.names.front();
  info.syntax_oid = parsed->at_syntax_oid != nullptr ? parsed->at_syntax_oid : "";
  info.single_value = parsed->at_single_value != 0;
  info.no_user_modification = parsed->at_no_user_mod != 0;
  info.operational = parsed->at_usage != LDAP_SCHEMA_USER_APPLICATIONS;
  info.sup = parsed->at_sup_oid != nullptr ? parsed->at_sup_oid : "";
  const bool inherited = info.syntax_oid.empty() && !info.sup.empty();
  const std::size_t at = upsert(attributes_, attribute_index_, std::move(info));
  syntax_inherited_.resize(attributes_.size());
  syntax_inherited_[at] = inherited;
  resolve_inherited_syntaxes();
}

// RFC 4512 2.5.1: a subtype without SYNTAX has its supertype's. Recomputed after every
// addition because a supertype may arrive (or be redefined) after its subtypes; cheap, since
// few types inherit their syntax and SUP chains are short.
void Subschema::resolve_inherited_syntaxes() {
  for (std::size_t i = 0; i < attributes_.size(); ++i) {
    if (syntax_inherited_[i]) attributes_[i].syntax_oid.clear();
  }
  for (bool changed = true; changed;) {
    changed = false;
    for (std::size_t i = 0; i < attributes_.size(); ++i) {
      if (!syntax_inherited_[i] || !attributes_[i].syntax_oid.empty()) continue;
      const AttributeTypeInfo* sup = attribute(attributes_[i].sup);
      if (sup != nullptr && !sup->syntax_oid.empty()) {
        attributes_[i].syntax_oid = sup->syntax_oid;
        changed = true;
      }
    }
  }
}

void Subschema::add_object_class(std::string_view text) {
  LDAPObjectClass* raw =
      parse_definition<LDAPObjectClass>(text, "object class", ldap_str2objectclass);
  const std::unique_ptr<LDAPObjectClass, void (*)(LDAPObjectClass*)> parsed(raw,
                                                                            ldap_objectclass_free);
  ObjectClassInfo info;
  info.oid = parsed->oc_oid != nullptr ? parsed->oc_oid : "";
  info.names = strings_of(parsed->oc_names);
  info.name = info.names.empty() ? info.oid : info.names.front();
  info.sup = strings_of(parsed->oc_sup_oids);
  switch (parsed->oc_kind) {
    case LDAP_SCHEMA_ABSTRACT:
      info.kind = ClassKind::abstract;
      break;
    case LDAP_SCHEMA_AUXILIARY:
      info.kind = ClassKind::auxiliary;
      break;
    default:
      info.kind = ClassKind::structural;
  }
  info.must = strings_of(parsed->oc_at_oids_must);
  info.may = strings_of(parsed->oc_at_oids_may);
  upsert(classes_, class_index_, std::move(info));
}

void Subschema::add_dit_content_rule(std::string_view text) {
  LDAPContentRule* raw =
      parse_definition<LDAPContentRule>(text, "DIT content rule", ldap_str2contentrule);
  const std::unique_ptr<LDAPContentRule, void (*)(LDAPContentRule*)> parsed(raw,
                                                                            ldap_contentrule_free);
  ContentRule rule;
  rule.oid = parsed->cr_oid != nullptr ? parsed->cr_oid : "";
  rule.names = strings_of(parsed->cr_names);
  rule.aux = strings_of(parsed->cr_oc_oids_aux);
  rule.must = strings_of(parsed->cr_at_oids_must);
  rule.may = strings_of(parsed->cr_at_oids_may);
  rule.precluded = strings_of(parsed->cr_at_oids_not);
  upsert(rules_, rule_index_, std::move(rule));
}

const AttributeTypeInfo* Subschema::attribute(std::string_view name_or_oid) const {
  const auto it = attribute_index_.find(attribute_key(name_or_oid));
  return it == attribute_index_.end() ? nullptr : &attributes_[it->second];
}

const ObjectClassInfo* Subschema::object_class(std::string_view name_or_oid) const {
  const auto it = class_index_.find(lowercase(name_or_oid));
  return it == class_index_.end() ? nullptr : &classes_[it->second];
}

const ObjectClassInfo& Subschema::known_class(std::string_view class_name) const {
  const ObjectClassInfo* cls = object_class(class_name);
  if (cls == nullptr) {
    throw std::invalid_argument("the schema has no object class '" + std::string(class_name) + "'");
  }
  return *cls;
}

// A content rule is identified by the OID of its structural class (RFC 4512 4.1.6); a rule
// whose "OID" is a name (a lenient parse) is found by the class's names.
const Subschema::ContentRule* Subschema::content_rule_for(const ObjectClassInfo& cls) const {
  std::vector<std::string> keys{lowercase(cls.oid)};
  for (const std::string& name : cls.names) keys.push_back(lowercase(name));
  for (const std::string& key : keys) {
    if (const auto it = rule_index_.find(key); it != rule_index_.end()) return &rules_[it->second];
  }
  return nullptr;
}

// Depth-first over SUP, appending each class after all of its superclasses (post-order);
// callers reverse. SUPs are visited last-first so that, reversed, they keep their written
// order.
void Subschema::collect_superclasses(const ObjectClassInfo& cls,
                                     std::vector<const ObjectClassInfo*>& out,
                                     std::vector<std::string>& unknown, Index& seen) const {
  if (!seen.emplace(lowercase(cls.oid), 0).second) return;
  for (auto sup = cls.sup.rbegin(); sup != cls.sup.rend(); ++sup) {
    if (const ObjectClassInfo* parent = object_class(*sup)) {
      collect_superclasses(*parent, out, unknown, seen);
    } else if (seen.emplace(lowercase(*sup), 0).second) {
      unknown.push_back(*sup);
    }
  }
  out.push_back(&cls);
}

std::vector<std::string> Subschema::superclasses(std::string_view class_name) const {
  std::vector<const ObjectClassInfo*> order;
  std::vector<std::string> unknown;
  Index seen;
  collect_superclasses(known_class(class_name), order, unknown, seen);
  std::vector<std::string> out;
  for (auto it = order.rbegin(); it != order.rend(); ++it) out.push_back((*it)->name);
  // Undefined SUPs cannot be placed relative to the rest: they go last, in the order met.
  out.insert(out.end(), unknown.begin(), unknown.end());
  return out;
}

std::vector<std::string> Subschema::attributes_of_class(std::string_view class_name) const {
  const ObjectClassInfo& cls = known_class(class_name);
  std::vector<const ObjectClassInfo*> classes;
  std::vector<std::string> unknown_classes;  // contribute nothing: their attributes are unknown
  Index seen_classes;
  collect_superclasses(cls, classes, unknown_classes, seen_classes);
  const ContentRule* rule = content_rule_for(cls);
  if (rule != nullptr) {
    for (const std::string& aux : rule->aux) {
      if (const ObjectClassInfo* aux_class = object_class(aux)) {
        collect_superclasses(*aux_class, classes, unknown_classes, seen_classes);
      }
    }
  }

  Index precluded;
  if (rule != nullptr) {
    for (const std::string& name : rule->precluded) {
      const AttributeTypeInfo* type = attribute(name);
      precluded.emplace(lowercase(type != nullptr ? type->name : name), 0);
    }
  }
  Index seen;
  std::vector<std::string> out;
  const auto add = [&](const std::vector<std::string>& names) {
    for (const std::string& name : names) {
      const AttributeTypeInfo* type = attribute(name);
      const std::string& primary = type != nullptr ? type->name : name;
      const std::string key = lowercase(primary);
      if (precluded.count(key) == 0 && seen.emplace(key, 0).second) out.push_back(primary);
    }
  };
  for (const ObjectClassInfo* c : classes) {
    add(c->must);
    add(c->may);
  }
  if (rule != nullptr) {
    add(rule->must);
    add(rule->may);
  }
  std::sort(out.begin(), out.end(), less_case_insensitive);
  return out;
}

idsync_value_type Subschema::value_type(std::string_view attribute_name) const {
  const AttributeTypeInfo* type = attribute(attribute_name);
  return type == nullptr ? IDSYNC_VALUE_STRING : value_type_for_syntax(type->syntax_oid);
}

bool Subschema::single_valued(std::string_view attribute_name) const {
  const AttributeTypeInfo* type = attribute(attribute_name);
  return type != nullptr && type->single_value;
}

}  // namespace idsync::ldap
