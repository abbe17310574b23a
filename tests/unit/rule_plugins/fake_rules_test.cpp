// The fake C rule plugin (tests/fakes, variant "rules") through the same adapter: the ABI alone,
// without the SDK's C++ layer on the plugin side.
#include "support.hpp"

namespace idsync::rule_plugins::test {
namespace {

using expr::MapContext;
using expr::Value;

TEST_CASE("fake rules: FakeUpper is callable from expressions") {
  TempDir tmp;
  const Loaded l(Registry::discover({plugin_host::test::plugin_dir_with(tmp, {"rules"})}));
  CHECK(l.rules.problems().empty());
  REQUIRE(l.rules.functions().size() == 1);
  CHECK(l.rules.functions()[0]->name == "FakeUpper");
  CHECK(l.rules.functions()[0]->doc == "Upper-cases ASCII letters.");
  CHECK(l.rules.functions()[0]->plugin == "fake-rules");

  MapContext o;
  o.set("name", Value::string("ada lovelace"));
  o.set("tags", Value::strings({"a", "b1"}));
  CHECK(eval(l.functions, "FakeUpper([name])", o) == Value::string("ADA LOVELACE"));
  CHECK(eval(l.functions, "FakeUpper([tags])", o) == Value::strings({"A", "B1"}));
  CHECK(eval(l.functions, "FakeUpper([missing])", o).is_null());
  CHECK(eval(l.functions, "FakeUpper(\"x\") & \"-\" & Left(\"abc\", 1)") == Value::string("X-a"));
}

TEST_CASE("fake rules: the FakeCopy transform") {
  TempDir tmp;
  const Loaded l(Registry::discover({plugin_host::test::plugin_dir_with(tmp, {"rules"})}));
  const Transform* t = l.rules.transform("FakeCopy");
  REQUIRE(t != nullptr);
  CHECK(t->doc() == "Copies name to displayName.");
  CHECK(t->apply("person", {{"id", Value::string("7")}, {"name", Value::string("Ada")}}) ==
        TransformAttributes{{"displayName", Value::string("Ada")}});
  // Typed values keep their type across the boundary.
  CHECK(t->apply("person", {{"name", Value::integer(42)}}) ==
        TransformAttributes{{"displayName", Value::integer(42)}});
  CHECK(t->apply("person", {{"id", Value::string("7")}}).empty());
}

}  // namespace
}  // namespace idsync::rule_plugins::test
