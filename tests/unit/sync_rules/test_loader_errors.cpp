// Rule files that do not load: every problem with its file, exact JSON path and message.
#include <catch2/catch.hpp>

#include "support.hpp"
#include "sync_rules/loader.hpp"

using namespace idsync::sync_rules;
using idsync::sync_rules::test::demo_options;
using idsync::sync_rules::test::error_of;
using idsync::sync_rules::test::problems_of;
using idsync::sync_rules::test::rule_with;
using Lines = std::vector<std::string>;

TEST_CASE("what() lists every problem with its file", "[sync_rules][errors]") {
  SECTION("one problem on one line") {
    auto e = error_of({{"rules/hr.json", R"({"rules": [{}]})"}});
    CHECK_THAT(e.what(), Catch::StartsWith("6 problems in the sync rules:\n"
                                           "  rules/hr.json: rules[0].name: required key is "
                                           "missing\n"));
    auto one = error_of({{"rules/hr.json", rule_with("\"disabled\": 1")}});
    CHECK(std::string(one.what()) == "rules/hr.json: disabled: expected a boolean, found a number");
    REQUIRE(one.diagnostics().size() == 1);
    CHECK(one.diagnostics()[0].file == "rules/hr.json");
    CHECK(one.diagnostics()[0].diagnostic.path == "disabled");
  }
  SECTION("malformed JSON is reported with line and column") {
    auto e = error_of({{"rules/hr.json", "{\n  \"name\": \"x\"\n  \"direction\": 1}"}});
    CHECK(std::string(e.what()) ==
          "rules/hr.json:3:3: invalid JSON: syntax error (look for a missing comma, colon or "
          "quote, or a comma before } or ])");
  }
  SECTION("RulesError is a runtime_error") {
    CHECK_THROWS_AS(parse_rules({{"a.json", "[]"}}, demo_options()), std::runtime_error);
  }
}

TEST_CASE("the top level is a rule or a list of rules", "[sync_rules][errors]") {
  CHECK(
      problems_of("[]") ==
      Lines{
          R"(hr.json: expected a rule object or {"rules": [...]} at the top level, found an array)"});
  CHECK(problems_of(R"({"rules": {}})") ==
        Lines{"hr.json: rules: expected an array, found an object"});
  CHECK(problems_of(R"({"rules": [3], "name": "x"})") ==
        Lines{"hr.json: name: unknown key",
              "hr.json: rules[0]: expected a rule object, found a number"});
}

TEST_CASE("required rule keys, types and enumerations", "[sync_rules][errors]") {
  CHECK(problems_of("{}") == Lines{
                                 "hr.json: name: required key is missing",
                                 "hr.json: direction: required key is missing",
                                 "hr.json: connector: required key is missing",
                                 "hr.json: cs_object_type: required key is missing",
                                 "hr.json: mv_object_type: required key is missing",
                                 "hr.json: precedence: required key is missing",
                             });
  CHECK(
      problems_of(R"({"name": "", "description": 5, "disabled": "no", "direction": "in",
      "connector": 1, "cs_object_type": "", "mv_object_type": [], "link_type": "join",
      "precedence": -1, "scoping": {}, "join": "employeeId", "transformations": {}})") ==
      Lines{
          "hr.json: name: must not be empty",
          "hr.json: description: expected a string, found a number",
          "hr.json: disabled: expected a boolean, found a string",
          R"(hr.json: direction: expected one of "inbound", "outbound")",
          "hr.json: connector: expected a string, found a number",
          "hr.json: cs_object_type: must not be empty",
          "hr.json: mv_object_type: expected a string, found an array",
          R"(hr.json: link_type: expected one of "Join", "Provision", "StickyJoin"; did you mean "Join"?)",
          "hr.json: precedence: expected an integer 0..2147483647",
          "hr.json: scoping: expected an array of condition groups, found an object",
          "hr.json: join: expected an array of condition groups, found a string",
          "hr.json: transformations: expected an array of transformations, found an object",
      });
  CHECK(problems_of(rule_with(R"("precedense": 1, "Name": "x")")) ==
        Lines{R"(hr.json: precedense: unknown key; did you mean "precedence"?)",
              R"(hr.json: Name: unknown key; did you mean "name"?)"});
  CHECK(
      problems_of(rule_with(R"("link_type": "Provison")")) ==
      Lines{
          R"(hr.json: link_type: expected one of "Join", "Provision", "StickyJoin"; did you mean "Provision"?)"});
  CHECK(problems_of(R"({"name": "x", "direction": "inbound", "connector": "HR",
      "cs_object_type": "p", "mv_object_type": "p", "precedence": 1.5})") ==
        Lines{"hr.json: precedence: expected an integer 0..2147483647, found a fractional number"});
}

TEST_CASE("connectors must be declared in the manifest", "[sync_rules][errors]") {
  auto with_connector = [](const std::string& c) {
    return R"({"name": "x", "direction": "inbound", "connector": ")" + c +
           R"(", "cs_object_type": "p", "mv_object_type": "p", "precedence": 1})";
  };
  CHECK(problems_of(with_connector("HRR")) ==
        Lines{R"(hr.json: connector: unknown connector "HRR"; did you mean "HR"?)"});
  CHECK(
      problems_of(with_connector("Payroll")) ==
      Lines{
          R"(hr.json: connector: unknown connector "Payroll": the manifest declares "HR", "Badges", "Directory")"});
  LoadOptions none;
  none.known_connectors = std::vector<std::string>{};
  CHECK(
      problems_of(with_connector("HR"), none) ==
      Lines{R"(hr.json: connector: unknown connector "HR": the manifest declares no connectors)"});
}

TEST_CASE("scoping problems name the group and the clause", "[sync_rules][errors]") {
  CHECK(
      problems_of("{\"rules\": [" + rule_with("", "A", 1) + ", " +
                  rule_with(R"("scoping": [
      [{"attribute": "department", "operator": "EQUAL", "value": "Sales"},
       {"attribute": "department", "operator": "NOTEQUL", "value": "Sales"}],
      [],
      "department",
      [3, {"operator": "ISNULL"}],
      [{"attribute": "a", "operator": "ISNULL", "value": "x"},
       {"attribute": "a", "operator": "EQUAL"},
       {"attribute": "a", "operator": "EQUAL", "value": 7},
       {"attribute": "", "operator": "STARTSWITH", "value": ""},
       {"attribute": "uac", "operator": "ISBITSET", "value": "2"},
       {"attribute": "uac", "operator": "ISNOTBITSET", "value": 0},
       {"attribute": "memberOf", "operator": "ISMEMBEROF", "value": "cn=g"},
       {"operator": "ISNOTMEMBEROF"},
       {"attribute": "a", "operator": "EQUAL", "value": "x", "case": true}]])",
                            "B", 2) +
                  "]}") ==
      Lines{
          R"(hr.json: rules[1].scoping[0][1].operator: expected one of "EQUAL", "NOTEQUAL", "STARTSWITH", "NOTSTARTSWITH", "ENDSWITH", "NOTENDSWITH", "CONTAINS", "NOTCONTAINS", "ISNULL", "ISNOTNULL", "ISBITSET", "ISNOTBITSET", "ISMEMBEROF", "ISNOTMEMBEROF"; did you mean "NOTEQUAL"?)",
          "hr.json: rules[1].scoping[1]: expected at least one condition, found an empty group",
          "hr.json: rules[1].scoping[2]: expected an array of conditions, found a string",
          "hr.json: rules[1].scoping[3][0]: expected a condition object, found a number",
          "hr.json: rules[1].scoping[3][1].attribute: required key is missing",
          "hr.json: rules[1].scoping[4][0].value: not used by ISNULL",
          "hr.json: rules[1].scoping[4][1].value: required key is missing",
          "hr.json: rules[1].scoping[4][2].value: expected a string, found a number",
          "hr.json: rules[1].scoping[4][3].attribute: must not be empty",
          "hr.json: rules[1].scoping[4][3].value: must not be empty",
          "hr.json: rules[1].scoping[4][4].value: expected an integer "
          "1..9223372036854775807, found a string",
          "hr.json: rules[1].scoping[4][5].value: expected an integer 1..9223372036854775807",
          "hr.json: rules[1].scoping[4][6].attribute: not used by ISMEMBEROF, which tests the "
          "object's group membership",
          "hr.json: rules[1].scoping[4][7].value: required key is missing",
          "hr.json: rules[1].scoping[4][8].case: unknown key",
      });
}

TEST_CASE("a transform flow names a transform and no target", "[sync_rules][errors]") {
  LoadOptions options = demo_options();
  options.check_transform = [](std::string_view name) -> std::optional<std::string> {
    if (name == "DeriveMailNickname") return std::nullopt;
    return "no loaded rule plugin provides a transform named \"" + std::string(name) + "\"";
  };
  CHECK(problems_of(rule_with(R"("transformations": [
      {"flow": "transform", "transform": "DeriveMailNickname", "target": "mail"},
      {"flow": "transform"},
      {"flow": "transform", "transform": "Derive"},
      {"flow": "direct", "target": "cn", "source": "cn", "transform": "DeriveMailNickname"}])"),
                    options) ==
        Lines{R"(hr.json: transformations[0].target: not used by a "transform" flow: the )"
              "transform names the attributes it sets",
              "hr.json: transformations[1].transform: required key is missing",
              R"(hr.json: transformations[2].transform: no loaded rule plugin provides a )"
              R"(transform named "Derive")",
              R"(hr.json: transformations[3].transform: not used by a "direct" flow, which )"
              R"(takes "source")"});
  const RuleSet set = parse_rules({{"hr.json", rule_with(R"("transformations": [
          {"flow": "transform", "transform": "DeriveMailNickname", "merge": "merge"}])")}},
                                  options);
  const Transformation& t = set.all().at(0).transformations.at(0);
  CHECK(t.flow == FlowType::kTransform);
  CHECK(t.transform == "DeriveMailNickname");
  CHECK(t.target.empty());
  CHECK(t.merge == MergeMode::kMerge);
}

TEST_CASE("ISMEMBEROF belongs in inbound rules", "[sync_rules][errors]") {
  // Outbound scoping reads metaverse values; group membership is a connector-space relation.
  std::string rule = rule_with(R"("scoping": [[{"attribute": "a", "operator": "ISNULL"}],
      [{"attribute": "a", "operator": "ISNULL"}, {"operator": "ISNOTMEMBEROF", "value": "cn=g"}]])");
  rule.replace(rule.find("inbound"), 7, "outbound");
  CHECK(problems_of(rule) ==
        Lines{"hr.json: scoping[1][1].operator: ISMEMBEROF and ISNOTMEMBEROF test "
              "connector-space objects: they belong in inbound rules"});
  CHECK_NOTHROW(parse_rules(
      {{"hr.json", rule_with(R"("scoping": [[{"operator": "ISMEMBEROF", "value": "cn=g"}]])")}},
      idsync::sync_rules::test::demo_options()));
}

TEST_CASE("deprovisioning belongs to outbound Provision rules and matches its action",
          "[sync_rules][errors]") {
  auto outbound = [](const std::string& deprovisioning) {
    std::string rule =
        rule_with(R"("link_type": "Provision", "deprovisioning": )" + deprovisioning);
    rule.replace(rule.find("inbound"), 7, "outbound");
    return rule;
  };
  CHECK(problems_of(rule_with(R"("deprovisioning": {"action": "delete"})")) ==
        Lines{"hr.json: deprovisioning: only outbound Provision rules deprovision what they "
              "provisioned"});
  CHECK(problems_of(outbound(R"({"action": "update"})")) ==
        Lines{R"(hr.json: deprovisioning.transformations: required with action "update": the )"
              "values to set"});
  CHECK(problems_of(outbound(R"({"action": "disconnect", "transformations": []})")) ==
        Lines{R"(hr.json: deprovisioning.transformations: only used with action "update")"});
  CHECK(problems_of(outbound(R"({"action": "disconect"})")) ==
        Lines{R"(hr.json: deprovisioning.action: expected one of "delete", "disconnect", )"
              R"("update"; did you mean "disconnect"?)"});
  const RuleSet set = parse_rules({{"hr.json", outbound(R"({"action": "update", "transformations": [
          {"flow": "constant", "target": "description", "value": "disabled"}]})")}},
                                  demo_options());
  REQUIRE(set.all().size() == 1);
  CHECK(set.all()[0].deprovisioning.action == DeprovisionAction::kUpdate);
  CHECK(set.all()[0].deprovisioning.transformations.at(0).target == "description");
}

TEST_CASE("join problems name the group and the condition", "[sync_rules][errors]") {
  CHECK(problems_of(rule_with(R"("join": [
      [{"cs_attribute": "employeeId", "mv_attribute": "employeeId", "case_sensitive": "yes"}],
      [{"cs_attribute": "mail"}, {"mv_atribute": "mail", "cs_attribute": ""}],
      [], {}])")) ==
        Lines{
            "hr.json: join[0][0].case_sensitive: expected a boolean, found a string",
            "hr.json: join[1][0].mv_attribute: required key is missing",
            R"(hr.json: join[1][1].mv_atribute: unknown key; did you mean "mv_attribute"?)",
            "hr.json: join[1][1].cs_attribute: must not be empty",
            "hr.json: join[1][1].mv_attribute: required key is missing",
            "hr.json: join[2]: expected at least one condition, found an empty group",
            "hr.json: join[3]: expected an array of conditions, found an object",
        });
}

TEST_CASE("transformation problems: target, flow and its own field", "[sync_rules][errors]") {
  CHECK(
      problems_of(rule_with(R"("transformations": [
      {"flow": "direct", "target": "displayName", "source": "displayName"},
      {"flow": "direct", "target": "DisplayName", "source": "cn"},
      {"flow": "drect", "target": "sn", "source": "sn"},
      {"flow": "direct", "source": "sn", "value": "x", "expression": "y"},
      {"flow": "constant", "target": "c", "source": "c"},
      {"flow": "constant", "target": "o", "value": []},
      {"flow": "constant", "target": "l", "value": ["a", 1]},
      {"flow": "constant", "target": "st", "value": true},
      {"flow": "expression", "target": "cn", "expression": ""},
      {"flow": "direct", "target": "x", "source": "x", "apply_once": 1, "merge": "Merge"},
      "displayName"])")) ==
      Lines{
          R"(hr.json: transformations[1].target: "DisplayName" is already the target of transformations[0])",
          R"(hr.json: transformations[2].flow: expected one of "direct", "constant", "expression", "transform"; did you mean "direct"?)",
          "hr.json: transformations[3].target: required key is missing",
          R"(hr.json: transformations[3].value: not used by a "direct" flow, which takes "source")",
          R"(hr.json: transformations[3].expression: not used by a "direct" flow, which takes "source")",
          R"(hr.json: transformations[4].source: not used by a "constant" flow, which takes "value")",
          "hr.json: transformations[4].value: required key is missing",
          "hr.json: transformations[5].value: expected at least one value, found an empty array",
          "hr.json: transformations[6].value[1]: expected a string, found a number",
          "hr.json: transformations[7].value: expected a string or an array of strings, found a "
          "boolean",
          "hr.json: transformations[8].expression: must not be empty",
          "hr.json: transformations[9].apply_once: expected a boolean, found a number",
          R"(hr.json: transformations[9].merge: expected one of "update", "merge", "merge_case_insensitive"; did you mean "merge"?)",
          "hr.json: transformations[10]: expected an object, found a string",
      });
}

TEST_CASE("expression problems carry the checker's column and message", "[sync_rules][errors]") {
  LoadOptions options = demo_options();
  options.check_expression = [](std::string_view e) -> std::optional<ExpressionProblem> {
    const auto open = e.find('(');
    if (open != std::string_view::npos && e.find(')') == std::string_view::npos)
      return ExpressionProblem{e.size() + 1, "expected \")\""};
    return std::nullopt;
  };
  const std::string rules = "{\"rules\": [" + rule_with(R"json("transformations": [
      {"flow": "expression", "target": "a", "expression": "Trim([a])"},
      {"flow": "direct", "target": "b", "source": "b"},
      {"flow": "expression", "target": "c", "expression": "Left([cn], 3"}])json") +
                            "]}";
  CHECK(
      problems_of(rules, options) ==
      Lines{R"json(hr.json: rules[0].transformations[2].expression: column 13: expected ")")json"});
}

TEST_CASE("names are unique ignoring case, across files", "[sync_rules][errors]") {
  auto e = error_of({{"a.json", "{\"rules\": [" + rule_with("", "HR in", 1) + "]}"},
                     {"b.json", rule_with("", "hr IN", 2)}});
  REQUIRE(e.diagnostics().size() == 1);
  CHECK(
      to_string(e.diagnostics()[0]) ==
      R"(b.json: name: "hr IN" is already the name of the rule at a.json: rules[0] (names are unique ignoring case))");
}

TEST_CASE("precedence is unique per direction", "[sync_rules][errors]") {
  const std::string outbound = R"({"name": "Out", "direction": "outbound", "connector": "Directory",
      "cs_object_type": "inetOrgPerson", "mv_object_type": "person", "precedence": 100})";
  SECTION("the same number in both directions is fine") {
    CHECK(parse_rules({{"a.json", rule_with("", "In", 100)}, {"b.json", outbound}}, demo_options())
              .all()
              .size() == 2);
  }
  SECTION("twice in one direction, disabled rules included") {
    auto e = error_of(
        {{"a.json", rule_with("", "In", 100)},
         {"b.json", "{\"rules\": [" + rule_with("\"disabled\": true", "In 2", 100) + "]}"}});
    REQUIRE(e.diagnostics().size() == 1);
    CHECK(
        to_string(e.diagnostics()[0]) ==
        R"(b.json: rules[0].precedence: 100 is already the precedence of inbound rule "In" at a.json)");
  }
}

TEST_CASE("problems of several files and kinds are reported together", "[sync_rules][errors]") {
  auto e =
      error_of({{"a.json", "{\"rules\": [" + rule_with("", "A", 1) + "," +
                               rule_with(R"("scoping": [[{"attribute": "x"}]])", "B", 1) + "]}"},
                {"b.json", "{"},
                {"c.json", rule_with("\"linktype\": \"Join\"", "a", 3)}});
  CHECK(std::string(e.what()) ==
        "5 problems in the sync rules:\n"
        "  a.json: rules[1].scoping[0][0].operator: required key is missing\n"
        "  b.json:1:2: invalid JSON: unexpected end of file (an unclosed {, [ or \")\n"
        "  c.json: linktype: unknown key; did you mean \"link_type\"?\n"
        "  a.json: rules[1].precedence: 1 is already the precedence of inbound rule \"A\" at "
        "a.json: rules[0]\n"
        "  c.json: name: \"a\" is already the name of the rule at a.json: rules[0] (names are "
        "unique ignoring case)");
}
