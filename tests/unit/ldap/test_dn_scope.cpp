// DN keys, containment on RDN boundaries, splitting off the first RDN, and the include/exclude
// rules of an import's scope.
#include <catch2/catch.hpp>

#include "dn_scope.hpp"

using namespace idsync::ldap;

TEST_CASE("normalize_dn gives one key for the spellings of a DN") {
  CHECK(normalize_dn("CN=Ann Lee,OU=Staff,DC=Example,DC=Com") ==
        "cn=ann lee,ou=staff,dc=example,dc=com");
  CHECK(normalize_dn("cn = Ann  Lee , ou=staff,  dc=example,dc=com") ==
        normalize_dn("CN=Ann Lee,OU=Staff,DC=Example,DC=Com"));
  // Escapes: "\," and "\2C" are the same character, re-escaped as \2c in the key.
  CHECK(normalize_dn("CN=Smith\\, John,OU=x") == "cn=smith\\2c john,ou=x");
  CHECK(normalize_dn("CN=Smith\\2C John,OU=x") == "cn=smith\\2c john,ou=x");
  // RFC 1779 forms that AD also accepts.
  CHECK(normalize_dn("CN=\"Smith, John\";OU=x") == "cn=smith\\2c john,ou=x");
  // Multi-valued RDNs in any order.
  CHECK(normalize_dn("uid=b+CN=a,dc=x") == normalize_dn("cn=A+uid=B,dc=x"));
  // Non-ASCII bytes are kept as they are.
  CHECK(normalize_dn("CN=J\xC3\x9Crgen,DC=x") == "cn=j\xC3\x9Crgen,dc=x");
  CHECK(normalize_dn("") == "");
}

TEST_CASE("normalize_dn keeps values that differ apart") {
  CHECK(normalize_dn("cn=a\\+b=c,dc=x") != normalize_dn("cn=a+b=c,dc=x"));
  CHECK(normalize_dn("cn=a\\,ou=b,dc=x") != normalize_dn("cn=a,ou=b,dc=x"));
  CHECK(normalize_dn("cn=ab,dc=x") != normalize_dn("cn=a b,dc=x"));
}

TEST_CASE("normalize_dn refuses what is not a DN, naming it") {
  for (const char* bad : {"garbage", "cn=x,,dc=y", "=x", "cn=x,dc", "cn=a\\"}) {
    INFO(bad);
    CHECK_THROWS_AS(normalize_dn(bad), std::invalid_argument);
  }
  CHECK_THROWS_AS(normalize_dn(std::string("cn=a\0b", 6)), std::invalid_argument);
  CHECK_THROWS_WITH(normalize_dn("garbage"), Catch::Contains("garbage"));
}

TEST_CASE("dn_within compares whole RDNs") {
  CHECK(dn_within("CN=x,OU=Staff,DC=a", "ou=staff,dc=a"));
  CHECK(dn_within("ou=staff,dc=a", "OU=Staff, DC=A"));
  CHECK(dn_within("cn=x,ou=staff,dc=a", "dc=a"));
  CHECK(dn_within("cn=x,dc=a", ""));
  CHECK_FALSE(dn_within("cn=x,ou=staffing,dc=a", "ou=staff,dc=a"));
  CHECK_FALSE(dn_within("cn=x,ou=x-staff,dc=a", "ou=staff,dc=a"));
  CHECK_FALSE(dn_within("dc=a", "ou=staff,dc=a"));
  CHECK_FALSE(dn_within("cn=x,ou=staff,dc=b", "ou=staff,dc=a"));
  // A comma inside a value is not a boundary.
  CHECK_FALSE(dn_within("cn=x\\,ou=staff,dc=a", "ou=staff,dc=a"));
  CHECK_THROWS_AS(dn_within("garbage", "dc=a"), std::invalid_argument);
}

TEST_CASE("first_rdn and parent_dn split at the first real separator") {
  CHECK(first_rdn("CN=Smith\\, John,OU=x,DC=y") == "CN=Smith\\, John");
  CHECK(parent_dn("CN=Smith\\, John,OU=x,DC=y") == "OU=x,DC=y");
  CHECK(first_rdn("CN=bobby,CN=Users,DC=idsync,DC=test") == "CN=bobby");
  CHECK(parent_dn("CN=bobby, CN=Users,DC=idsync,DC=test") == "CN=Users,DC=idsync,DC=test");
  CHECK(first_rdn("CN=a\\\\,DC=y") == "CN=a\\\\");  // an escaped backslash, then a separator
  CHECK(parent_dn("CN=a\\\\,DC=y") == "DC=y");
  CHECK(first_rdn("CN=\"Smith, John\",OU=x") == "CN=\"Smith, John\"");
  CHECK(parent_dn("CN=\"Smith, John\";OU=x") == "OU=x");
  CHECK(first_rdn("cn=a+uid=b,dc=x") == "cn=a+uid=b");
  CHECK(first_rdn("DC=com") == "DC=com");
  CHECK(parent_dn("DC=com") == "");
  CHECK(first_rdn("") == "");
  CHECK(parent_dn("") == "");
}

TEST_CASE("a scope without includes covers its partitions less the excludes") {
  const Scope scope({"DC=a,DC=test", "DC=b,DC=test"}, {}, {"OU=Disabled,DC=a,DC=test"});
  CHECK(scope.contains("cn=x,ou=people,dc=a,dc=test"));
  CHECK(scope.contains("dc=a,dc=test"));
  CHECK(scope.contains("cn=y,dc=b,dc=test"));
  CHECK_FALSE(scope.contains("cn=x,ou=disabled,dc=a,dc=test"));
  CHECK_FALSE(scope.contains("ou=disabled,dc=a,dc=test"));
  CHECK(scope.contains("cn=x,ou=disabledusers,dc=a,dc=test"));
  CHECK_FALSE(scope.contains("cn=x,dc=c,dc=test"));
  CHECK_FALSE(scope.contains("dc=test"));
}

TEST_CASE("with includes, only what an include holds is in scope") {
  const Scope scope({"DC=a,DC=test"}, {"OU=People,DC=a,DC=test", "OU=Groups,DC=a,DC=test"}, {});
  CHECK(scope.contains("cn=x,ou=people,dc=a,dc=test"));
  CHECK(scope.contains("ou=groups,dc=a,dc=test"));
  CHECK_FALSE(scope.contains("cn=x,ou=other,dc=a,dc=test"));
  CHECK_FALSE(scope.contains("dc=a,dc=test"));
  // An include outside every partition brings nothing in.
  const Scope outside({"DC=a,DC=test"}, {"OU=People,DC=b,DC=test"}, {});
  CHECK_FALSE(outside.contains("cn=x,ou=people,dc=b,dc=test"));
}

TEST_CASE("the deepest include or exclude holding a DN decides") {
  const Scope scope({"DC=a,DC=test"},
                    {"OU=People,DC=a,DC=test", "OU=Back,OU=Gone,OU=People,DC=a,DC=test"},
                    {"OU=Gone,OU=People,DC=a,DC=test"});
  CHECK(scope.contains("cn=x,ou=people,dc=a,dc=test"));
  CHECK_FALSE(scope.contains("cn=x,ou=gone,ou=people,dc=a,dc=test"));    // exclude in include
  CHECK(scope.contains("cn=x,ou=back,ou=gone,ou=people,dc=a,dc=test"));  // include in exclude
  CHECK(scope.contains("ou=back,ou=gone,ou=people,dc=a,dc=test"));
  CHECK_FALSE(scope.contains("cn=x,ou=other,ou=gone,ou=people,dc=a,dc=test"));

  // Without includes, an include-like rescue needs an include: a nested exclude stays out.
  const Scope nested({"DC=a,DC=test"}, {}, {"OU=Gone,DC=a,DC=test", "OU=In,OU=Gone,DC=a,DC=test"});
  CHECK_FALSE(nested.contains("cn=x,ou=in,ou=gone,dc=a,dc=test"));
}

TEST_CASE("a container both included and excluded is excluded") {
  const Scope scope({"DC=a,DC=test"}, {"OU=x,DC=a,DC=test"}, {"ou=X, dc=A, dc=test"});
  CHECK_FALSE(scope.contains("cn=y,ou=x,dc=a,dc=test"));
}

TEST_CASE("scopes refuse DNs that cannot be parsed") {
  CHECK(Scope({}, {}, {}).contains("dc=a") == false);
  CHECK_THROWS_WITH(Scope({"DC=a"}, {"bad dn"}, {}), Catch::Contains("bad dn"));
  const Scope scope({"DC=a"}, {}, {});
  CHECK_THROWS_AS(scope.contains("not a dn"), std::invalid_argument);
}
