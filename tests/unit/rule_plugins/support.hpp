// Helpers of the rule-plugin tests: registries holding copies of built plugins, and evaluation.
#pragma once

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <string_view>

#include "expressions/expression.hpp"
#include "rule_plugins/rule_plugins.hpp"
#include "test_support.hpp"

namespace idsync::rule_plugins::test {

namespace fs = std::filesystem;
using plugin_host::Registry;
using plugin_host::test::TempDir;

// Copies the built sample plugin into `dir`/contoso, trusted as an admin would install it.
inline void copy_contoso(const fs::path& dir) {
  const fs::path from(IDSYNC_CONTOSO_RULES_DIR);
  REQUIRE(fs::exists(from / "plugin.json"));
  const fs::path to = dir / "contoso";
  fs::copy(from, to, fs::copy_options::recursive);
  plugin_host::test::make_trusted(to);
  for (const auto& entry : fs::directory_iterator(to))
    plugin_host::test::make_trusted(entry.path());
}

// A plugin registry and the expression functions its rule plugins provide.
struct Loaded {
  Registry registry;
  expr::FunctionRegistry functions;
  RulePlugins rules;

  explicit Loaded(Registry r)
      : registry(std::move(r)), rules(RulePlugins::attach(registry, functions)) {}
};

// Compiles `source` against `functions` and evaluates it on `object`; the result's value.
inline expr::Value eval(const expr::FunctionRegistry& functions, std::string_view source,
                        const expr::MapContext& object = {}) {
  const expr::Result r = expr::Expression::compile(source, &functions).evaluate(object);
  REQUIRE((r.kind == expr::Result::Kind::values || r.kind == expr::Result::Kind::null));
  return r.value;
}

// The message of the EvalError that evaluating `source` throws ("" when it throws none).
inline std::string eval_error(const expr::FunctionRegistry& functions, std::string_view source,
                              const expr::MapContext& object = {}) {
  const auto e = expr::Expression::compile(source, &functions);
  try {
    e.evaluate(object);
  } catch (const expr::EvalError& error) {
    return error.what();
  }
  return "";
}

}  // namespace idsync::rule_plugins::test
