// The demo's rule files (examples/demo/rules) load, and give the precedence the demo describes:
// HR wins displayName and department, Badges wins mail, every person goes out to Directory.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>

#include "expressions/errors.hpp"
#include "expressions/expression.hpp"
#include "support.hpp"
#include "sync_rules/loader.hpp"

using namespace idsync::sync_rules;
using idsync::sync_rules::test::demo_options;

namespace {

// The first rule, in precedence order, that flows into `target`: the one whose value wins.
std::string winner(std::span<const SyncRule* const> rules, std::string_view target) {
  for (const SyncRule* r : rules)
    for (const Transformation& t : r->transformations)
      if (t.target == target) return r->name;
  return "";
}

}  // namespace

TEST_CASE("the demo rules load", "[sync_rules][demo]") {
  std::vector<std::string> expressions;
  LoadOptions options = demo_options();
  options.check_expression = [&](std::string_view e) -> std::optional<ExpressionProblem> {
    expressions.emplace_back(e);
    return std::nullopt;
  };
  const RuleSet set = load_rules(IDSYNC_DEMO_RULES_DIR, options);
  REQUIRE(set.all().size() == 5);
  CHECK(set.all()[0].name == "In from HR - person");
  CHECK(expressions ==
        std::vector<std::string>{R"("uid=" & [employeeId] & ",ou=people,dc=contoso,dc=example")"});

  SECTION("HR projects, Badges joins on employeeId") {
    const auto hr = set.inbound("HR", "person");
    REQUIRE(hr.size() == 1);
    CHECK(hr[0]->link_type == LinkType::kProvision);
    for (const SyncRule* r : set.inbound("Badges", "person")) {
      CHECK(r->link_type == LinkType::kJoin);
      REQUIRE(r->join.size() == 1);
      CHECK(r->join[0].conditions ==
            std::vector<JoinCondition>{{"employeeId", "employeeId", true}});
    }
  }
  SECTION("precedence: HR wins displayName and department, Badges wins mail") {
    std::vector<const SyncRule*> inbound;
    for (const SyncRule* r : set.inbound("HR", "person")) inbound.push_back(r);
    for (const SyncRule* r : set.inbound("Badges", "person")) inbound.push_back(r);
    std::sort(inbound.begin(), inbound.end(),
              [](const SyncRule* a, const SyncRule* b) { return a->precedence < b->precedence; });
    CHECK(winner(inbound, "displayName") == "In from HR - person");
    CHECK(winner(inbound, "department") == "In from HR - person");
    CHECK(winner(inbound, "mail") == "In from Badges - mail");
  }
  SECTION("outbound provisioning to Directory") {
    const auto out = set.outbound("Directory", "person");
    REQUIRE(out.size() == 1);
    CHECK(out[0]->link_type == LinkType::kProvision);
    CHECK(out[0]->cs_object_type == "inetOrgPerson");
  }
  SECTION("Directory only joins: an entry already there is adopted, and contributes nothing") {
    const auto in = set.inbound("Directory", "inetOrgPerson");
    REQUIRE(in.size() == 1);
    CHECK(in[0]->link_type == LinkType::kJoin);
    CHECK(in[0]->transformations.empty());
  }
}

TEST_CASE("the demo rules' expressions compile in the expression language", "[sync_rules][demo]") {
  // The loader takes any checker; this is the one the engine uses.
  LoadOptions options = demo_options();
  size_t checked = 0;
  options.check_expression = [&](std::string_view e) -> std::optional<ExpressionProblem> {
    ++checked;
    try {
      idsync::expr::Expression::compile(e);
      return std::nullopt;
    } catch (const idsync::expr::ParseError& error) {
      return ExpressionProblem{error.column(), error.detail()};
    }
  };
  CHECK_NOTHROW(load_rules(IDSYNC_DEMO_RULES_DIR, options));
  CHECK(checked == 1);
}

TEST_CASE("an expression the language refuses is reported at its rule's path and column",
          "[sync_rules]") {
  LoadOptions options;
  options.check_expression = [](std::string_view e) -> std::optional<ExpressionProblem> {
    try {
      idsync::expr::Expression::compile(e);
      return std::nullopt;
    } catch (const idsync::expr::ParseError& error) {
      return ExpressionProblem{error.column(), error.detail()};
    }
  };
  const std::string rule = R"json({"name": "r", "direction": "inbound", "connector": "HR",
    "cs_object_type": "person", "mv_object_type": "person", "precedence": 1,
    "transformations": [{"flow": "expression", "target": "displayName",
                         "expression": "Trm([givenName])"}]})json";
  try {
    parse_rules({{"hr.json", rule}}, options);
    FAIL("expected a RulesError");
  } catch (const RulesError& e) {
    CHECK(std::string(e.what()) ==
          "hr.json: transformations[0].expression: column 1: unknown function \"Trm\"; did you "
          "mean \"Trim\"?");
  }
}
