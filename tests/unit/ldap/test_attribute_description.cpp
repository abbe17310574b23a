// Attribute descriptions: names, options, AD's range option and its refusals, and name
// comparison.
#include <catch2/catch.hpp>

#include "attribute_description.hpp"

using idsync::ldap::AttributeDescription;
using idsync::ldap::parse_attribute_description;
using idsync::ldap::same_attribute;

TEST_CASE("a plain name has no options and no range") {
  const AttributeDescription d = parse_attribute_description("msDS-cloudExtensionAttribute1");
  CHECK(d.name == "msDS-cloudExtensionAttribute1");
  CHECK(d.options.empty());
  CHECK_FALSE(d.ranged);
  CHECK(parse_attribute_description("2.5.4.3").name == "2.5.4.3");
}

TEST_CASE("range options give the chunk's bounds") {
  const AttributeDescription first = parse_attribute_description("member;range=0-1499");
  CHECK(first.name == "member");
  CHECK(first.ranged);
  CHECK(first.range_low == 0);
  CHECK(first.range_high == 1499u);
  CHECK(first.options.empty());

  const AttributeDescription last = parse_attribute_description("member;range=1500-*");
  CHECK(last.ranged);
  CHECK(last.range_low == 1500);
  CHECK_FALSE(last.range_high.has_value());

  const AttributeDescription upper = parse_attribute_description("Member;Range=3000-3999");
  CHECK(upper.name == "Member");
  CHECK(upper.ranged);
  CHECK(upper.range_low == 3000);
  CHECK(upper.range_high == 3999u);

  // DirSync with incremental values marks added values 1-1 and removed ones 0-0.
  const AttributeDescription removed = parse_attribute_description("member;range=0-0");
  CHECK(removed.range_low == 0);
  CHECK(removed.range_high == 0u);
}

TEST_CASE("other options are kept lowercased, in order, beside a range") {
  const AttributeDescription d = parse_attribute_description("userCertificate;Binary");
  CHECK(d.name == "userCertificate");
  CHECK(d.options == std::vector<std::string>{"binary"});
  CHECK_FALSE(d.ranged);

  const AttributeDescription both = parse_attribute_description("cn;lang-DE;range=0-9;x-Foo");
  CHECK(both.options == std::vector<std::string>{"lang-de", "x-foo"});
  CHECK(both.ranged);
  CHECK(both.range_high == 9u);
}

TEST_CASE("malformed descriptions are refused, naming the text") {
  for (const char* bad :
       {"member;range=", "member;range=-5", "member;range=a-5", "member;range=5", "member;range=5-",
        "member;range=5-x", "member;range=10-9", "member;range=0-1;range=2-3",
        "member;range=99999999999999999999-*", "member;range= 0-1", "member;", "member;;binary",
        ";binary", "", "cn;lang de", "c n"}) {
    INFO(bad);
    CHECK_THROWS_AS(parse_attribute_description(bad), std::invalid_argument);
  }
  CHECK_THROWS_WITH(parse_attribute_description("member;range=10-9"),
                    Catch::Contains("member;range=10-9"));
}

TEST_CASE("same_attribute compares names case-insensitively, ignoring options") {
  CHECK(same_attribute("sAMAccountName", "samaccountname"));
  CHECK(same_attribute("member;range=0-1499", "Member"));
  CHECK(same_attribute("userCertificate;binary", "usercertificate"));
  CHECK_FALSE(same_attribute("member", "memberOf"));
  CHECK_FALSE(same_attribute("cn", "commonName"));
  CHECK_FALSE(same_attribute("cn", ""));
}
