// The subschema model over real definitions: OpenLDAP's inetOrgPerson family and an excerpt of
// a Samba AD DC's subschema (fixtures/), plus hand-written edge cases: order of arrival,
// redefinition, content rules and refusals.
#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <string>

#include "subschema.hpp"

using namespace idsync::ldap;

namespace {

// Loads a fixture: "attributeTypes: ...", "objectClasses: ...", "dITContentRules: ..." lines.
Subschema load(const std::string& name) {
  std::ifstream in(std::string(IDSYNC_LDAP_FIXTURES_DIR) + "/" + name);
  REQUIRE(in);
  Subschema schema;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const std::size_t colon = line.find(": ");
    REQUIRE(colon != std::string::npos);
    const std::string kind = line.substr(0, colon), value = line.substr(colon + 2);
    if (kind == "attributeTypes") {
      schema.add_attribute_type(value);
    } else if (kind == "objectClasses") {
      schema.add_object_class(value);
    } else {
      REQUIRE(kind == "dITContentRules");
      schema.add_dit_content_rule(value);
    }
  }
  return schema;
}

const Subschema& openldap() {
  static const Subschema schema = load("openldap_schema.txt");
  return schema;
}

const Subschema& samba() {
  static const Subschema schema = load("samba_subschema.txt");
  return schema;
}

bool has(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

}  // namespace

TEST_CASE("OpenLDAP: attribute types with names, aliases, OIDs and inherited syntaxes") {
  const Subschema& s = openldap();
  CHECK(s.attribute_count() == 56);
  CHECK(s.class_count() == 5);

  const AttributeTypeInfo* cn = s.attribute("commonName");
  REQUIRE(cn != nullptr);
  CHECK(cn == s.attribute("CN"));
  CHECK(cn == s.attribute("2.5.4.3"));
  CHECK(cn == s.attribute("cn;lang-de"));
  CHECK(cn->name == "cn");
  CHECK(cn->names == std::vector<std::string>{"cn", "commonName"});
  CHECK(cn->oid == "2.5.4.3");
  CHECK(cn->sup == "name");
  CHECK(cn->syntax_oid == "1.3.6.1.4.1.1466.115.121.1.15");  // from name, without {32768}
  CHECK_FALSE(cn->single_value);

  // member: SUP distinguishedName, so a reference.
  CHECK(s.attribute("member")->syntax_oid == "1.3.6.1.4.1.1466.115.121.1.12");
  CHECK(s.value_type("member") == IDSYNC_VALUE_REFERENCE);
  CHECK(s.value_type("seeAlso") == IDSYNC_VALUE_REFERENCE);
  CHECK(s.value_type("jpegPhoto") == IDSYNC_VALUE_BINARY);
  CHECK(s.value_type("userPassword") == IDSYNC_VALUE_BINARY);
  CHECK(s.value_type("createTimestamp") == IDSYNC_VALUE_DATETIME);
  CHECK(s.value_type("mail") == IDSYNC_VALUE_STRING);
  CHECK(s.value_type("no-such-attribute") == IDSYNC_VALUE_STRING);

  CHECK(s.single_valued("displayName"));
  CHECK(s.single_valued("preferredLanguage"));
  CHECK_FALSE(s.single_valued("mail"));
  CHECK_FALSE(s.single_valued("no-such-attribute"));

  const AttributeTypeInfo* uuid = s.attribute("entryUUID");
  REQUIRE(uuid != nullptr);
  CHECK(uuid->operational);
  CHECK(uuid->no_user_modification);
  CHECK(uuid->single_value);
  CHECK_FALSE(cn->operational);
  CHECK_FALSE(cn->no_user_modification);
  CHECK(s.attribute("nosuch") == nullptr);
}

TEST_CASE("OpenLDAP: object classes, superclasses and the attributes of a class") {
  const Subschema& s = openldap();
  const ObjectClassInfo* person = s.object_class("PERSON");
  REQUIRE(person != nullptr);
  CHECK(person == s.object_class("2.5.6.6"));
  CHECK(person->oid == "2.5.6.6");
  CHECK(person->kind == ClassKind::structural);
  CHECK(person->sup == std::vector<std::string>{"top"});
  CHECK(person->must == std::vector<std::string>{"sn", "cn"});
  CHECK(s.object_class("top")->kind == ClassKind::abstract);
  CHECK(s.object_class("nosuch") == nullptr);

  CHECK(s.superclasses("inetOrgPerson") ==
        std::vector<std::string>{"inetOrgPerson", "organizationalPerson", "person", "top"});
  CHECK(s.superclasses("top") == std::vector<std::string>{"top"});

  const std::vector<std::string> attrs = s.attributes_of_class("inetOrgPerson");
  for (const char* expected : {"cn", "sn", "objectClass", "mail", "uid", "displayName",
                               "telephoneNumber", "title", "ou", "userPassword", "jpegPhoto"}) {
    INFO(expected);
    CHECK(has(attrs, expected));
  }
  CHECK_FALSE(has(attrs, "member"));
  CHECK_FALSE(has(attrs, "commonName"));  // each attribute once, by its primary name
  CHECK(std::count(attrs.begin(), attrs.end(), "cn") == 1);
  CHECK(std::is_sorted(attrs.begin(), attrs.end(), [](const std::string& a, const std::string& b) {
    std::string la = a, lb = b;
    for (char& c : la) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (char& c : lb) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return la < lb;
  }));

  CHECK(s.attributes_of_class("groupOfNames") ==
        std::vector<std::string>{"businessCategory", "cn", "description", "member", "o",
                                 "objectClass", "ou", "owner", "seeAlso"});
  CHECK_THROWS_AS(s.attributes_of_class("nosuch"), std::invalid_argument);
  CHECK_THROWS_WITH(s.superclasses("nosuch"), Catch::Contains("nosuch"));
}

TEST_CASE("Samba AD: syntaxes, single values and AD's attribute names") {
  const Subschema& s = samba();
  CHECK(s.attribute_count() == 408);
  CHECK(s.class_count() == 11);

  CHECK(s.value_type("member") == IDSYNC_VALUE_REFERENCE);
  CHECK_FALSE(s.single_valued("member"));
  CHECK(s.value_type("manager") == IDSYNC_VALUE_REFERENCE);
  CHECK(s.value_type("objectGUID") == IDSYNC_VALUE_BINARY);
  CHECK(s.single_valued("objectGUID"));
  CHECK(s.attribute("objectGUID")->no_user_modification);
  CHECK(s.value_type("objectSid") == IDSYNC_VALUE_BINARY);
  CHECK(s.value_type("nTSecurityDescriptor") == IDSYNC_VALUE_BINARY);
  CHECK(s.value_type("whenChanged") == IDSYNC_VALUE_DATETIME);
  CHECK(s.value_type("userAccountControl") == IDSYNC_VALUE_INTEGER);
  CHECK(s.single_valued("userAccountControl"));
  CHECK(s.value_type("accountExpires") == IDSYNC_VALUE_INTEGER);  // Large Integer
  CHECK(s.value_type("sAMAccountName") == IDSYNC_VALUE_STRING);
  CHECK(s.single_valued("sAMAccountName"));
  CHECK(s.value_type("isCriticalSystemObject") == IDSYNC_VALUE_BOOLEAN);
  // Names with digits and hyphens; lookups ignore case.
  const AttributeTypeInfo* ext = s.attribute("MSDS-CLOUDEXTENSIONATTRIBUTE20");
  REQUIRE(ext != nullptr);
  CHECK(ext->name == "msDS-cloudExtensionAttribute20");
  CHECK(s.attribute("1.2.840.113556.1.4.2") == s.attribute("objectGUID"));
}

TEST_CASE("Samba AD: a class's attributes include its content rule's auxiliary classes") {
  const Subschema& s = samba();
  CHECK(s.object_class("mailRecipient")->kind == ClassKind::auxiliary);
  CHECK(s.superclasses("user") ==
        std::vector<std::string>{"user", "organizationalPerson", "person", "top"});

  const std::vector<std::string> user = s.attributes_of_class("user");
  for (const char* expected :
       {"sAMAccountName", "objectSid",            // securityPrincipal (AUX)
        "legacyExchangeDN", "showInAddressBook",  // mailRecipient (AUX)
        "uidNumber", "unixHomeDirectory",         // posixAccount (AUX)
        "shadowLastChange",                       // shadowAccount (AUX)
        "msDS-cloudExtensionAttribute7",          // msDS-CloudExtensions (AUX)
        "userAccountControl", "unicodePwd",       // user
        "givenName", "sn", "cn", "objectGUID", "whenChanged", "memberOf", "objectClass"}) {
    INFO(expected);
    CHECK(has(user, expected));
  }
  CHECK_FALSE(has(user, "member"));
  CHECK_FALSE(has(user, "groupType"));
  // Every name is known and listed once.
  for (const std::string& name : user) {
    INFO(name);
    REQUIRE(s.attribute(name) != nullptr);
    CHECK(s.attribute(name)->name == name);
  }
  std::vector<std::string> lowered;
  for (std::string name : user) {
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    lowered.push_back(name);
  }
  CHECK(std::adjacent_find(lowered.begin(), lowered.end()) == lowered.end());
  CHECK(std::is_sorted(lowered.begin(), lowered.end()));

  const std::vector<std::string> group = s.attributes_of_class("group");
  CHECK(has(group, "member"));
  CHECK(has(group, "groupType"));
  CHECK(has(group, "sAMAccountName"));  // securityPrincipal through group's rule
  CHECK(has(group, "gidNumber"));       // posixGroup
  CHECK_FALSE(has(group, "userAccountControl"));

  // Without the rule, person has no sAMAccountName.
  CHECK_FALSE(has(s.attributes_of_class("person"), "sAMAccountName"));
}

TEST_CASE("definitions may arrive in any order") {
  Subschema s;
  s.add_attribute_type("( 1.1.3 NAME 'grandChild' SUP child SINGLE-VALUE )");
  s.add_attribute_type("( 1.1.2 NAME 'child' SUP root )");
  CHECK(s.attribute("grandChild")->syntax_oid.empty());
  CHECK(s.value_type("grandChild") == IDSYNC_VALUE_STRING);
  s.add_attribute_type("( 1.1.1 NAME 'root' SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 )");
  CHECK(s.attribute("grandChild")->syntax_oid == "1.3.6.1.4.1.1466.115.121.1.27");
  CHECK(s.value_type("grandChild") == IDSYNC_VALUE_INTEGER);
  CHECK(s.single_valued("grandChild"));
  CHECK_FALSE(s.single_valued("child"));  // SINGLE-VALUE is not inherited

  // A content rule before its class, naming an AUX class defined later still.
  s.add_dit_content_rule("( 1.1.10 NAME 'thing' AUX extra MAY ( ruleOnly ) NOT ( child ) )");
  s.add_object_class("( 1.1.10 NAME 'thing' SUP top STRUCTURAL MUST root MAY child )");
  s.add_object_class("( 1.1.11 NAME 'extra' AUXILIARY MAY grandChild )");
  CHECK(s.attributes_of_class("thing") ==
        std::vector<std::string>{"grandChild", "root", "ruleOnly"});
  CHECK(s.superclasses("thing") == std::vector<std::string>{"thing", "top"});  // top undefined
}

TEST_CASE("a redefinition replaces the earlier definition") {
  Subschema s;
  s.add_attribute_type("( 1.1.1 NAME 'old' SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 )");
  s.add_attribute_type("( 1.1.2 NAME 'sub' SUP 1.1.1 )");
  CHECK(s.value_type("sub") == IDSYNC_VALUE_INTEGER);
  s.add_attribute_type("( 1.1.1 NAME 'new' SYNTAX 1.3.6.1.4.1.1466.115.121.1.7 )");
  CHECK(s.attribute_count() == 2);
  CHECK(s.attribute("old") == nullptr);
  CHECK(s.attribute("new")->oid == "1.1.1");
  CHECK(s.value_type("sub") == IDSYNC_VALUE_BOOLEAN);
}

TEST_CASE("superclasses lists each class before its own superclasses") {
  Subschema s;
  s.add_object_class("( 1.1.1 NAME 'top' ABSTRACT MUST objectClass )");
  s.add_object_class("( 1.1.2 NAME 'left' SUP top AUXILIARY )");
  s.add_object_class("( 1.1.3 NAME 'right' SUP top AUXILIARY )");
  s.add_object_class("( 1.1.4 NAME 'both' SUP ( left $ right ) STRUCTURAL )");
  CHECK(s.superclasses("both") == std::vector<std::string>{"both", "left", "right", "top"});
}

TEST_CASE("unparsable definitions are refused, naming the text") {
  Subschema s;
  CHECK_THROWS_AS(s.add_attribute_type("not a definition"), std::invalid_argument);
  CHECK_THROWS_AS(s.add_object_class("( 1.1.1 NAME 'x' MUST ( a $ ) )"), std::invalid_argument);
  CHECK_THROWS_AS(s.add_dit_content_rule("( 1.1.1 NAME 'x' AUX"), std::invalid_argument);
  CHECK_THROWS_WITH(s.add_attribute_type("( 1.1.1 NAME 'x' SYNTAX )"),
                    Catch::Contains("( 1.1.1 NAME 'x' SYNTAX )"));
  const std::string long_text = "( 1.1.1 NAME 'x' " + std::string(500, 'y');
  try {
    s.add_attribute_type(long_text);
    FAIL("accepted");
  } catch (const std::invalid_argument& e) {
    CHECK(std::string(e.what()).size() < 350);
  }
  CHECK(s.attribute_count() == 0);
}
