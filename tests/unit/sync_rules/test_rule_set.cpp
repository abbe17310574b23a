// The rule index: by direction, connector and object type, in precedence order.
#include <catch2/catch.hpp>

#include "sync_rules/rule_set.hpp"

using namespace idsync::sync_rules;
using Names = std::vector<std::string>;

namespace {

SyncRule rule(std::string name, Direction d, std::string connector, std::string cs_type,
              std::string mv_type, std::int64_t precedence, bool disabled = false) {
  SyncRule r;
  r.name = std::move(name);
  r.direction = d;
  r.connector = std::move(connector);
  r.cs_object_type = std::move(cs_type);
  r.mv_object_type = std::move(mv_type);
  r.precedence = precedence;
  r.disabled = disabled;
  return r;
}

Names names(std::span<const SyncRule* const> rules) {
  Names out;
  for (const SyncRule* r : rules) out.push_back(r->name);
  return out;
}

RuleSet sample() {
  const auto in = Direction::kInbound;
  const auto out = Direction::kOutbound;
  return RuleSet({
      rule("Badges fallback", in, "Badges", "person", "person", 200),
      rule("HR person", in, "HR", "person", "person", 100),
      rule("HR group", in, "HR", "group", "group", 110),
      rule("Badges mail", in, "Badges", "person", "person", 50),
      rule("HR old", in, "HR", "person", "person", 10, /*disabled=*/true),
      rule("Directory user", out, "Directory", "inetOrgPerson", "person", 100),
      rule("Directory user extras", out, "Directory", "inetOrgPerson", "person", 90),
  });
}

}  // namespace

TEST_CASE("inbound rules by connector and CS object type, by precedence",
          "[sync_rules][rule_set]") {
  const RuleSet set = sample();
  CHECK(names(set.inbound("Badges", "person")) == Names{"Badges mail", "Badges fallback"});
  CHECK(names(set.inbound("HR", "person")) == Names{"HR person"});  // disabled rules left out
  CHECK(names(set.inbound("HR", "group")) == Names{"HR group"});
  SECTION("names compare ignoring case") {
    CHECK(names(set.inbound("hr", "PERSON")) == Names{"HR person"});
  }
  SECTION("nothing for unknown keys, or the wrong direction") {
    CHECK(set.inbound("HR", "contact").empty());
    CHECK(set.inbound("Payroll", "person").empty());
    CHECK(set.inbound("Directory", "inetOrgPerson").empty());
  }
}

TEST_CASE("outbound rules by connector and MV object type", "[sync_rules][rule_set]") {
  const RuleSet set = sample();
  CHECK(names(set.outbound("Directory", "person")) ==
        Names{"Directory user extras", "Directory user"});
  CHECK(set.outbound("Directory", "inetOrgPerson").empty());  // outbound is found by MV type
}

TEST_CASE("all() keeps every rule in load order; find() ignores case", "[sync_rules][rule_set]") {
  const RuleSet set = sample();
  REQUIRE(set.all().size() == 7);
  CHECK(set.all()[0].name == "Badges fallback");
  CHECK(set.all()[4].disabled);
  REQUIRE(set.find("hr OLD") != nullptr);
  CHECK(set.find("hr OLD")->name == "HR old");
  CHECK(set.find("nope") == nullptr);
}

TEST_CASE("equal precedence falls back to the name", "[sync_rules][rule_set]") {
  const RuleSet set({rule("b", Direction::kInbound, "HR", "p", "p", 1),
                     rule("A", Direction::kInbound, "HR", "p", "p", 1)});
  CHECK(names(set.inbound("HR", "p")) == Names{"A", "b"});
}

TEST_CASE("lookups stay valid when the set moves", "[sync_rules][rule_set]") {
  RuleSet first = sample();
  const SyncRule* before = first.inbound("HR", "person")[0];
  RuleSet moved = std::move(first);
  CHECK(moved.inbound("HR", "person")[0] == before);
  CHECK(moved.inbound("HR", "person")[0]->name == "HR person");
}
