// Scoping semantics, operator by operator: single, multi-valued and absent attributes, case,
// bit masks, group membership, and the AND/OR structure.
#include <catch2/catch.hpp>
#include <map>
#include <string>
#include <vector>

#include "sync_rules/scoping.hpp"

using namespace idsync::sync_rules;

namespace {

// An object's attributes; names compare ignoring ASCII case as AttributeSource requires.
class Object {
 public:
  Object(std::initializer_list<std::pair<const std::string, std::vector<std::string>>> attrs) {
    for (const auto& [name, values] : attrs) attrs_[lower(name)] = values;
  }
  AttributeSource source() const {
    return [this](std::string_view name) -> std::span<const std::string> {
      auto it = attrs_.find(lower(std::string(name)));
      if (it == attrs_.end()) return {};
      return it->second;
    };
  }

 private:
  static std::string lower(std::string s) {
    for (char& c : s)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
  }
  std::map<std::string, std::vector<std::string>> attrs_;
};

ScopeCondition clause(std::string attribute, ScopeOperator op, std::string value = "") {
  ScopeCondition c{std::move(attribute), op, std::move(value), std::nullopt};
  if (takes_bit_mask(op)) c.bit_mask = std::stoll(c.value);
  return c;
}

bool holds(const Object& o, const ScopeCondition& c, const MemberOfFn& member_of = {}) {
  return condition_holds(c, o.source(), member_of);
}

const Object kSingle{{"department", {"Sales"}}};
const Object kMulti{{"proxyAddresses", {"SMTP:ada@contoso.example", "smtp:ada@fabrikam.example"}}};
const Object kEmpty{};

}  // namespace

TEST_CASE("EQUAL and NOTEQUAL", "[sync_rules][scoping]") {
  using Op = ScopeOperator;
  CHECK(holds(kSingle, clause("department", Op::kEqual, "Sales")));
  CHECK(holds(kSingle, clause("DEPARTMENT", Op::kEqual, "sales")));  // case-insensitive
  CHECK_FALSE(holds(kSingle, clause("department", Op::kEqual, "Sale")));
  CHECK_FALSE(holds(kSingle, clause("department", Op::kNotEqual, "SALES")));
  CHECK(holds(kSingle, clause("department", Op::kNotEqual, "Marketing")));
  SECTION("multi-valued: any value for EQUAL, no value for NOTEQUAL") {
    CHECK(holds(kMulti, clause("proxyAddresses", Op::kEqual, "smtp:ada@fabrikam.example")));
    CHECK_FALSE(holds(kMulti, clause("proxyAddresses", Op::kNotEqual, "SMTP:ada@contoso.example")));
    CHECK(holds(kMulti, clause("proxyAddresses", Op::kNotEqual, "smtp:bob@contoso.example")));
  }
  SECTION("absent: EQUAL is false, NOTEQUAL true") {
    CHECK_FALSE(holds(kEmpty, clause("department", Op::kEqual, "Sales")));
    CHECK(holds(kEmpty, clause("department", Op::kNotEqual, "Sales")));
  }
}

TEST_CASE("STARTSWITH, ENDSWITH, CONTAINS and their negations", "[sync_rules][scoping]") {
  using Op = ScopeOperator;
  CHECK(holds(kSingle, clause("department", Op::kStartsWith, "sa")));
  CHECK_FALSE(holds(kSingle, clause("department", Op::kStartsWith, "ales")));
  CHECK(holds(kSingle, clause("department", Op::kEndsWith, "LES")));
  CHECK_FALSE(holds(kSingle, clause("department", Op::kEndsWith, "Sal")));
  CHECK(holds(kSingle, clause("department", Op::kContains, "AL")));
  CHECK_FALSE(holds(kSingle, clause("department", Op::kContains, "Salesforce")));
  CHECK_FALSE(holds(kSingle, clause("department", Op::kNotStartsWith, "S")));
  CHECK(holds(kSingle, clause("department", Op::kNotStartsWith, "M")));
  CHECK_FALSE(holds(kSingle, clause("department", Op::kNotEndsWith, "s")));
  CHECK_FALSE(holds(kSingle, clause("department", Op::kNotContains, "le")));
  CHECK(holds(kSingle, clause("department", Op::kNotContains, "x")));
  SECTION("multi-valued") {
    CHECK(holds(kMulti, clause("proxyAddresses", Op::kEndsWith, "@FABRIKAM.example")));
    CHECK_FALSE(holds(kMulti, clause("proxyAddresses", Op::kNotStartsWith, "smtp:")));
    CHECK(holds(kMulti, clause("proxyAddresses", Op::kNotContains, "@northwind")));
    CHECK_FALSE(holds(kMulti, clause("proxyAddresses", Op::kNotContains, "fabrikam")));
  }
  SECTION("absent: positives false, negatives true") {
    CHECK_FALSE(holds(kEmpty, clause("department", Op::kStartsWith, "S")));
    CHECK_FALSE(holds(kEmpty, clause("department", Op::kEndsWith, "S")));
    CHECK_FALSE(holds(kEmpty, clause("department", Op::kContains, "S")));
    CHECK(holds(kEmpty, clause("department", Op::kNotStartsWith, "S")));
    CHECK(holds(kEmpty, clause("department", Op::kNotEndsWith, "S")));
    CHECK(holds(kEmpty, clause("department", Op::kNotContains, "S")));
  }
  SECTION("non-ASCII bytes compare exactly") {
    const Object o{{"l", {"Århus"}}};
    CHECK(holds(o, clause("l", Op::kEqual, "Århus")));
    CHECK_FALSE(holds(o, clause("l", Op::kEqual, "åRHUS")));
    CHECK(holds(o, clause("l", Op::kEqual, "ÅRHUS")));
  }
}

TEST_CASE("ISNULL and ISNOTNULL test presence", "[sync_rules][scoping]") {
  using Op = ScopeOperator;
  CHECK(holds(kEmpty, clause("mail", Op::kIsNull)));
  CHECK_FALSE(holds(kEmpty, clause("mail", Op::kIsNotNull)));
  CHECK_FALSE(holds(kSingle, clause("Department", Op::kIsNull)));
  CHECK(holds(kSingle, clause("Department", Op::kIsNotNull)));
  CHECK(holds(kMulti, clause("proxyaddresses", Op::kIsNotNull)));
}

TEST_CASE("ISBITSET and ISNOTBITSET test every bit of the mask", "[sync_rules][scoping]") {
  using Op = ScopeOperator;
  const Object disabled{{"userAccountControl", {"514"}}};  // 512 + 2 (ACCOUNTDISABLE)
  const Object enabled{{"userAccountControl", {"512"}}};
  CHECK(holds(disabled, clause("userAccountControl", Op::kIsBitSet, "2")));
  CHECK(holds(disabled, clause("userAccountControl", Op::kIsBitSet, "514")));
  CHECK_FALSE(holds(enabled, clause("userAccountControl", Op::kIsBitSet, "2")));
  CHECK_FALSE(holds(enabled, clause("userAccountControl", Op::kIsBitSet, "514")));  // not all
  CHECK(holds(enabled, clause("userAccountControl", Op::kIsNotBitSet, "2")));
  CHECK_FALSE(holds(disabled, clause("userAccountControl", Op::kIsNotBitSet, "2")));
  SECTION("negative values keep their two's complement bits") {
    const Object security_group{{"groupType", {"-2147483646"}}};  // 0x80000002
    CHECK(holds(security_group, clause("groupType", Op::kIsBitSet, "2147483648")));
    CHECK(holds(security_group, clause("groupType", Op::kIsBitSet, "2")));
    CHECK_FALSE(holds(security_group, clause("groupType", Op::kIsBitSet, "4")));
  }
  SECTION("multi-valued: any value for ISBITSET, none for ISNOTBITSET") {
    const Object o{{"flags", {"1", "6"}}};
    CHECK(holds(o, clause("flags", Op::kIsBitSet, "4")));
    CHECK_FALSE(holds(o, clause("flags", Op::kIsNotBitSet, "4")));
    CHECK(holds(o, clause("flags", Op::kIsNotBitSet, "8")));
  }
  SECTION("absent or not a number: no bit is set") {
    const Object text{{"flags", {"two", "2x", ""}}};
    CHECK_FALSE(holds(text, clause("flags", Op::kIsBitSet, "2")));
    CHECK(holds(text, clause("flags", Op::kIsNotBitSet, "2")));
    CHECK_FALSE(holds(kEmpty, clause("flags", Op::kIsBitSet, "2")));
    CHECK(holds(kEmpty, clause("flags", Op::kIsNotBitSet, "2")));
  }
}

TEST_CASE("ISMEMBEROF and ISNOTMEMBEROF ask the engine", "[sync_rules][scoping]") {
  using Op = ScopeOperator;
  std::vector<std::string> asked;
  const MemberOfFn member_of = [&](std::string_view group) {
    asked.emplace_back(group);
    return group == "cn=staff,ou=groups,dc=contoso,dc=example";
  };
  CHECK(holds(kEmpty, clause("", Op::kIsMemberOf, "cn=staff,ou=groups,dc=contoso,dc=example"),
              member_of));
  CHECK_FALSE(holds(kEmpty, clause("", Op::kIsMemberOf, "cn=admins"), member_of));
  CHECK(holds(kEmpty, clause("", Op::kIsNotMemberOf, "cn=admins"), member_of));
  CHECK(asked == std::vector<std::string>{"cn=staff,ou=groups,dc=contoso,dc=example", "cn=admins",
                                          "cn=admins"});
  SECTION("without a membership function nobody is a member") {
    CHECK_FALSE(holds(kEmpty, clause("", Op::kIsMemberOf, "cn=staff")));
    CHECK(holds(kEmpty, clause("", Op::kIsNotMemberOf, "cn=staff")));
  }
}

TEST_CASE("groups are ORed, clauses within a group ANDed", "[sync_rules][scoping]") {
  using Op = ScopeOperator;
  const Object dk_it{{"department", {"IT"}}, {"c", {"DK"}}};
  const Object se_hr{{"department", {"HR"}}, {"c", {"SE"}}};
  const Object dk_hr{{"department", {"HR"}}, {"c", {"DK"}}};
  // (department = IT AND c = DK) OR (c = SE)
  const ScopingFilter filter{
      {ScopeGroup{{clause("department", Op::kEqual, "IT"), clause("c", Op::kEqual, "DK")}},
       ScopeGroup{{clause("c", Op::kEqual, "SE")}}}};
  CHECK(in_scope(filter, dk_it.source(), {}));
  CHECK(in_scope(filter, se_hr.source(), {}));
  CHECK_FALSE(in_scope(filter, dk_hr.source(), {}));
  CHECK_FALSE(in_scope(filter, kEmpty.source(), {}));
  SECTION("no groups: everything is in scope") {
    CHECK(in_scope(ScopingFilter{}, kEmpty.source(), {}));
  }
}
