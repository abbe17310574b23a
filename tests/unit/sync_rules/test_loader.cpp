// Rule files that load: every field, the defaults, both file shapes, and the rules folder.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "support.hpp"
#include "sync_rules/loader.hpp"

using namespace idsync::sync_rules;
using idsync::sync_rules::test::demo_options;
using idsync::sync_rules::test::rule_with;

namespace {

// A fresh folder under the system temp dir, removed at scope exit.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "idsync-rules-XXXXXX").string();
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  void write(const std::string& name, const std::string& text) const {
    std::ofstream out(path_ / name, std::ios::binary);
    out << text;
    REQUIRE(out.good());
  }

 private:
  std::filesystem::path path_;
};

}  // namespace

TEST_CASE("a rule with every field loads into the model", "[sync_rules][loader]") {
  const RuleSet set = parse_rules({{"hr.json", R"({
    "name": "In from HR", "description": "people from HR", "disabled": false,
    "direction": "inbound", "connector": "hr", "cs_object_type": "person",
    "mv_object_type": "person", "link_type": "Provision", "precedence": 100,
    "scoping": [[{"attribute": "department", "operator": "EQUAL", "value": "Sales"},
                 {"attribute": "mail", "operator": "ISNOTNULL"}],
                [{"attribute": "userAccountControl", "operator": "ISNOTBITSET", "value": 2}],
                [{"operator": "ISMEMBEROF", "value": "cn=staff,ou=groups"}]],
    "join": [[{"cs_attribute": "employeeId", "mv_attribute": "employeeId",
               "case_sensitive": true}],
             [{"cs_attribute": "mail", "mv_attribute": "mail"},
              {"cs_attribute": "sn", "mv_attribute": "sn"}]],
    "transformations": [
      {"flow": "direct", "target": "displayName", "source": "displayName"},
      {"flow": "constant", "target": "c", "value": "DK", "apply_once": true},
      {"flow": "constant", "target": "objectClass", "value": ["top", "person"],
       "merge": "merge_case_insensitive"},
      {"flow": "expression", "target": "cn", "expression": "[givenName] & \" \" & [sn]",
       "merge": "merge"}]})"}},
                                  demo_options());
  REQUIRE(set.all().size() == 1);
  const SyncRule& r = set.all()[0];
  CHECK(r.name == "In from HR");
  CHECK(r.description == "people from HR");
  CHECK_FALSE(r.disabled);
  CHECK(r.direction == Direction::kInbound);
  CHECK(r.connector == "HR");  // the manifest's spelling
  CHECK(r.cs_object_type == "person");
  CHECK(r.mv_object_type == "person");
  CHECK(r.link_type == LinkType::kProvision);
  CHECK(r.precedence == 100);
  CHECK(r.file == "hr.json");
  CHECK(r.path == "");

  REQUIRE(r.scoping.groups.size() == 3);
  CHECK(r.scoping.groups[0].conditions ==
        std::vector<ScopeCondition>{{"department", ScopeOperator::kEqual, "Sales", std::nullopt},
                                    {"mail", ScopeOperator::kIsNotNull, "", std::nullopt}});
  CHECK(r.scoping.groups[1].conditions ==
        std::vector<ScopeCondition>{{"userAccountControl", ScopeOperator::kIsNotBitSet, "2", 2}});
  CHECK(r.scoping.groups[2].conditions ==
        std::vector<ScopeCondition>{
            {"", ScopeOperator::kIsMemberOf, "cn=staff,ou=groups", std::nullopt}});

  REQUIRE(r.join.size() == 2);
  CHECK(r.join[0].conditions == std::vector<JoinCondition>{{"employeeId", "employeeId", true}});
  CHECK(r.join[1].conditions ==
        std::vector<JoinCondition>{{"mail", "mail", false}, {"sn", "sn", false}});

  REQUIRE(r.transformations.size() == 4);
  CHECK(
      r.transformations[0] ==
      Transformation{
          FlowType::kDirect, "displayName", "displayName", {}, "", false, MergeMode::kUpdate, ""});
  CHECK(r.transformations[1] ==
        Transformation{FlowType::kConstant, "c", "", {"DK"}, "", true, MergeMode::kUpdate, ""});
  CHECK(r.transformations[2] == Transformation{FlowType::kConstant,
                                               "objectClass",
                                               "",
                                               {"top", "person"},
                                               "",
                                               false,
                                               MergeMode::kMergeCaseInsensitive,
                                               ""});
  CHECK(r.transformations[3] == Transformation{FlowType::kExpression,
                                               "cn",
                                               "",
                                               {},
                                               "[givenName] & \" \" & [sn]",
                                               false,
                                               MergeMode::kMerge,
                                               ""});
}

TEST_CASE("optional fields take their defaults", "[sync_rules][loader]") {
  const RuleSet set = parse_rules({{"hr.json", rule_with("")}}, demo_options());
  REQUIRE(set.all().size() == 1);
  const SyncRule& r = set.all()[0];
  CHECK(r.description.empty());
  CHECK_FALSE(r.disabled);
  CHECK(r.link_type == LinkType::kJoin);
  CHECK(r.scoping.groups.empty());
  CHECK(r.join.empty());
  CHECK(r.transformations.empty());
}

TEST_CASE("a file holds one rule or a list of rules", "[sync_rules][loader]") {
  const RuleSet set = parse_rules(
      {{"a.json", rule_with("", "A", 1)},
       {"b.json", "{\"rules\": [" + rule_with("", "B", 2) + ", " + rule_with("", "C", 3) + "]}"},
       {"empty.json", R"({"rules": []})"}},
      demo_options());
  REQUIRE(set.all().size() == 3);
  CHECK(set.all()[0].name == "A");
  CHECK(set.all()[0].path == "");
  CHECK(set.all()[1].name == "B");
  CHECK(set.all()[1].file == "b.json");
  CHECK(set.all()[1].path == "rules[0]");
  CHECK(set.all()[2].path == "rules[1]");
}

TEST_CASE("connectors are not checked without a list of known connectors", "[sync_rules][loader]") {
  const std::string text = R"({"name": "X", "direction": "outbound", "connector": "Anything",
    "cs_object_type": "user", "mv_object_type": "person", "precedence": 0})";
  const RuleSet set = parse_rules({{"x.json", text}}, LoadOptions{});
  REQUIRE(set.all().size() == 1);
  CHECK(set.all()[0].connector == "Anything");
}

TEST_CASE("the expression checker sees every expression and nothing else", "[sync_rules][loader]") {
  std::vector<std::string> seen;
  LoadOptions options = demo_options();
  options.check_expression = [&](std::string_view e) -> std::optional<ExpressionProblem> {
    seen.emplace_back(e);
    return std::nullopt;
  };
  parse_rules({{"hr.json", rule_with(R"json("transformations": [
      {"flow": "expression", "target": "cn", "expression": "Trim([cn])"},
      {"flow": "direct", "target": "sn", "source": "sn"},
      {"flow": "expression", "target": "mail", "expression": "LCase([mail])"}])json")}},
              options);
  CHECK(seen == std::vector<std::string>{"Trim([cn])", "LCase([mail])"});
}

TEST_CASE("the rules folder: *.json files in name order", "[sync_rules][loader]") {
  TempDir dir;
  dir.write("20-b.json", rule_with("", "B", 2));
  dir.write("10-a.json", rule_with("", "A", 1));
  dir.write("README.md", "not a rule");
  dir.write(".30-c.json", "backup files are skipped, so this is never parsed");
  dir.write("40-d.json.bak", "neither is this");
  std::filesystem::create_directory(dir.path() / "sub.json");

  const RuleSet set = load_rules(dir.path(), demo_options());
  REQUIRE(set.all().size() == 2);
  CHECK(set.all()[0].name == "A");
  CHECK(set.all()[0].file == (dir.path() / "10-a.json").string());
  CHECK(set.all()[1].name == "B");
}

TEST_CASE("a rules folder that does not exist holds no rules", "[sync_rules][loader]") {
  TempDir dir;
  CHECK(load_rules(dir.path() / "absent", demo_options()).all().empty());
}

TEST_CASE("the rules folder: problems name the file", "[sync_rules][loader]") {
  TempDir dir;
  SECTION("a file, not a folder") {
    dir.write("rules", "{}");
    try {
      load_rules(dir.path() / "rules", demo_options());
      FAIL("loaded");
    } catch (const RulesError& e) {
      CHECK(std::string(e.what()) == (dir.path() / "rules").string() + ": not a folder");
    }
  }
  SECTION("an unreadable file") {
    if (::geteuid() == 0) return;  // root reads everything
    dir.write("a.json", rule_with(""));
    REQUIRE(::chmod((dir.path() / "a.json").c_str(), 0) == 0);
    try {
      load_rules(dir.path(), demo_options());
      FAIL("loaded");
    } catch (const RulesError& e) {
      CHECK(std::string(e.what()) ==
            (dir.path() / "a.json").string() + ": cannot read: Permission denied");
    }
  }
  SECTION("problems in two files") {
    dir.write("a.json", rule_with("", "A", 1) + ",");
    dir.write("b.json", rule_with("\"colour\": 1", "B", 2));
    try {
      load_rules(dir.path(), demo_options());
      FAIL("loaded");
    } catch (const RulesError& e) {
      REQUIRE(e.diagnostics().size() == 2);
      CHECK(e.diagnostics()[0].file == (dir.path() / "a.json").string());
      CHECK(e.diagnostics()[0].diagnostic.line == 2);
      CHECK(e.diagnostics()[1].file == (dir.path() / "b.json").string());
      CHECK(to_string(e.diagnostics()[1]) ==
            (dir.path() / "b.json").string() + ": colour: unknown key");
    }
  }
}
