// The directory's schema as its subschema entry publishes it (RFC 4512 section 4.1): attribute
// types, object classes and DIT content rules, parsed with libldap's schema parser. The
// connector asks it which attributes an object class may hold (to declare the connector's
// object types), the idsync value type of each attribute and whether it is single-valued.
// Active Directory (and Samba) name the auxiliary classes of a structural class in its DIT
// content rule rather than in the class, so those rules are part of the answer.
#pragma once

#include <idsync/plugin_abi.h>

#include <cstddef>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace idsync::ldap {

struct AttributeTypeInfo {
  std::string name;                // the first NAME; the OID when the type has no NAME
  std::vector<std::string> names;  // every NAME, as written
  std::string oid;
  std::string syntax_oid;  // without a length suffix; taken from the SUP chain when absent
  bool single_value = false;
  bool no_user_modification = false;
  bool operational = false;  // USAGE other than userApplications
  std::string sup;           // as written; empty when none
};

enum class ClassKind { structural, auxiliary, abstract };

struct ObjectClassInfo {
  std::string name;                // the first NAME; the OID when the class has no NAME
  std::vector<std::string> names;  // every NAME, as written
  std::string oid;
  std::vector<std::string> sup;  // as written
  ClassKind kind = ClassKind::structural;
  std::vector<std::string> must, may;  // attribute names or OIDs, as written
};

// The definitions may arrive in any order (a subtype before its SUP, a content rule before its
// class). Lookups are by any NAME or the OID, ASCII case-insensitive, through hash maps. A
// definition whose OID was already added replaces the earlier one. Not thread-safe while being
// filled; const use from several threads is safe.
class Subschema {
 public:
  // One attributeTypes value, e.g. "( 2.5.4.3 NAME ( 'cn' 'commonName' ) SUP name )". Parsed
  // leniently (LDAP_SCHEMA_ALLOW_ALL) so that AD's and Samba's quirks (quoted OIDs) pass.
  // Throws std::invalid_argument naming the text (cut to 200 characters) when it cannot be
  // parsed.
  void add_attribute_type(std::string_view text);
  // One objectClasses value. Throws as add_attribute_type.
  void add_object_class(std::string_view text);
  // One dITContentRules value: "( <structural class OID> NAME '...' AUX ( ... ) MUST ( ... )
  // MAY ( ... ) NOT ( ... ) )". Throws as add_attribute_type.
  void add_dit_content_rule(std::string_view text);

  // The attribute type with this NAME or OID; options after ';' are ignored ("member;range=0-*"
  // finds member). nullptr when unknown. The pointer stays valid as more definitions are added.
  const AttributeTypeInfo* attribute(std::string_view name_or_oid) const;
  // The object class with this NAME or OID; nullptr when unknown.
  const ObjectClassInfo* object_class(std::string_view name_or_oid) const;

  // Every attribute an entry of this class may hold: MUST and MAY of the class and of each of
  // its superclasses, of the AUX classes of the class's DIT content rule and their
  // superclasses, and the rule's own MUST and MAY, less the rule's NOT. Each attribute once,
  // by its type's primary name (as written when the type is unknown), sorted ASCII
  // case-insensitively. Throws std::invalid_argument when the class is unknown.
  std::vector<std::string> attributes_of_class(std::string_view class_name) const;

  // The class and all its superclasses by primary name, each before its own superclasses
  // (most specific first, "top" last). A SUP that is not defined is listed as written and not
  // followed further. Throws std::invalid_argument when the class is unknown.
  std::vector<std::string> superclasses(std::string_view class_name) const;

  // value_type_for_syntax of the attribute's resolved syntax; IDSYNC_VALUE_STRING for an
  // unknown attribute.
  idsync_value_type value_type(std::string_view attribute) const;
  // Whether the attribute is SINGLE-VALUE; false for an unknown attribute.
  bool single_valued(std::string_view attribute) const;

  std::size_t attribute_count() const { return attributes_.size(); }
  std::size_t class_count() const { return classes_.size(); }

 private:
  struct ContentRule {
    std::string oid;
    std::vector<std::string> names, aux, must, may, precluded;
  };
  using Index = std::unordered_map<std::string, std::size_t>;  // lowercase NAME or OID

  const ContentRule* content_rule_for(const ObjectClassInfo& cls) const;
  const ObjectClassInfo& known_class(std::string_view class_name) const;
  void collect_superclasses(const ObjectClassInfo& cls, std::vector<const ObjectClassInfo*>& out,
                            std::vector<std::string>& unknown, Index& seen) const;
  void resolve_inherited_syntaxes();

  // Deques: adding never moves the entries that returned pointers refer to.
  std::deque<AttributeTypeInfo> attributes_;
  std::vector<bool> syntax_inherited_;  // per attribute: syntax_oid is (to be) from its SUP
  std::deque<ObjectClassInfo> classes_;
  std::deque<ContentRule> rules_;
  Index attribute_index_, class_index_, rule_index_;
};

}  // namespace idsync::ldap
