// Name clashes between rule plugins, and with the built-in functions, are reported in one line
// each, naming both sides; the first to claim a name keeps it and nothing crashes.
#include "support.hpp"

namespace idsync::rule_plugins::test {
namespace {

using expr::Value;

TEST_CASE("clashes: functions and transforms claimed twice, or shadowing a built-in") {
  TempDir tmp;
  // Rule types are attached in id order: fake.rules, fake.rules-builtin, fake.rules-clash.
  const Loaded l(Registry::discover(
      {plugin_host::test::plugin_dir_with(tmp, {"rules_clash", "rules", "rules_builtin"})}));
  REQUIRE(l.registry.refused().empty());
  REQUIRE(l.registry.rule_types().size() == 3);
  CHECK(l.rules.problems() ==
        std::vector<std::string>{
            "rule function 'Left' of plugin 'fake-rules-builtin' (rule type "
            "'fake.rules-builtin') is not available: expression function \"Left\" would shadow "
            "the built-in of that name",
            "rule transform 'FakeCopy' of plugin 'fake-rules-builtin' (rule type "
            "'fake.rules-builtin') is not available: plugin 'fake-rules' (rule type "
            "'fake.rules') already provides it",
            "rule function 'fakeUPPER' of plugin 'fake-rules-clash' (rule type "
            "'fake.rules-clash') is not available: plugin 'fake-rules' (rule type 'fake.rules') "
            "already provides 'FakeUpper'",
            "rule transform 'FakeCopy' of plugin 'fake-rules-clash' (rule type "
            "'fake.rules-clash') is not available: plugin 'fake-rules' (rule type 'fake.rules') "
            "already provides it",
        });
  for (const std::string& p : l.rules.problems()) CHECK(p.find('\n') == std::string::npos);

  // The winners still work; the built-in is untouched.
  CHECK(l.functions.names() == std::vector<std::string>{"FakeUpper"});
  CHECK(eval(l.functions, "fakeupper(\"a\")") == Value::string("A"));
  CHECK(eval(l.functions, "Left(\"abc\", 2)") == Value::string("ab"));
  REQUIRE(l.rules.transforms().size() == 1);
  CHECK(l.rules.transforms()[0].plugin() == "fake-rules");
}

TEST_CASE("clashes: a name the caller registered first") {
  TempDir tmp;
  const Registry registry =
      Registry::discover({plugin_host::test::plugin_dir_with(tmp, {"rules"})});
  expr::FunctionRegistry functions;
  functions.add("FakeUpper", 1, 1, [](std::span<const Value>) { return Value::string("host"); });
  const RulePlugins rules = RulePlugins::attach(registry, functions);
  CHECK(rules.problems() ==
        std::vector<std::string>{"rule function 'FakeUpper' of plugin 'fake-rules' (rule type "
                                 "'fake.rules') is not available: expression function "
                                 "\"FakeUpper\" is already registered"});
  CHECK(eval(functions, "FakeUpper(\"a\")") == Value::string("host"));
}

TEST_CASE("clashes: functions outlive the registry they came from") {
  expr::FunctionRegistry functions;
  {
    TempDir tmp;
    const Registry registry =
        Registry::discover({plugin_host::test::plugin_dir_with(tmp, {"rules"})});
    const RulePlugins rules = RulePlugins::attach(registry, functions);
    REQUIRE(rules.problems().empty());
  }
  CHECK(eval(functions, "FakeUpper(\"still here\")") == Value::string("STILL HERE"));
}

}  // namespace
}  // namespace idsync::rule_plugins::test
