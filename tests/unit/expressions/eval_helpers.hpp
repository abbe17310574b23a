// Shared helpers: compile and evaluate an expression against a fixed object.
#pragma once

#include <catch2/catch.hpp>

#include "expressions/expression.hpp"

namespace Catch {
template <>
struct StringMaker<idsync::expr::Value> {
  static std::string convert(const idsync::expr::Value& v) { return idsync::expr::describe(v); }
};
}  // namespace Catch

namespace idsync::expr::test {

inline MapContext person() {
  MapContext c;
  c.set("givenName", Value::string("John"))
      .set("sn", Value::string("Doe"))
      .set("employeeID", Value::string("00042"))
      .set("userAccountControl", Value::integer(514))
      .set("proxyAddresses",
           Value::strings({"smtp:jd@old.example", "SMTP:john.doe@example.com", "x500:/o=Example"}))
      .set("otherPhone", Value::strings({"555-1234", "555-9876"}))
      .set("manager", Value::reference("CN=Boss,OU=Staff,DC=example,DC=com"))
      .set("emptyText", Value::string(""))
      .set_now(TimePoint{std::chrono::seconds{1767225600}});  // 2026-01-01T00:00:00Z
  return c;
}

inline Result run(std::string_view source, const EvalContext& ctx,
                  const FunctionRegistry* registry = nullptr) {
  return Expression::compile(source, registry).evaluate(ctx);
}

// The values of a `values` result, or NULL for a `null` one; fails on the special markers.
inline Value eval(std::string_view source, const FunctionRegistry* registry = nullptr) {
  MapContext ctx = person();
  Result r = run(source, ctx, registry);
  INFO(source);
  REQUIRE((r.kind == Result::Kind::values || r.kind == Result::Kind::null));
  REQUIRE((r.kind == Result::Kind::null) == r.value.is_null());
  return r.value;
}

inline std::string str(std::string_view source) {
  Value v = eval(source);
  INFO(source << " gave " << describe(v));
  REQUIRE(v.size() == 1);
  REQUIRE(v[0].type == ValueType::string);
  return v[0].bytes;
}

inline std::int64_t num(std::string_view source) {
  Value v = eval(source);
  INFO(source << " gave " << describe(v));
  REQUIRE(v.size() == 1);
  REQUIRE(v[0].type == ValueType::integer);
  return v[0].number;
}

inline bool boolean(std::string_view source) {
  Value v = eval(source);
  INFO(source << " gave " << describe(v));
  REQUIRE(v.size() == 1);
  REQUIRE(v[0].type == ValueType::boolean);
  return v[0].number != 0;
}

// The what() of the ParseError `source` raises, "" if it compiles.
inline std::string parse_error(std::string_view source) {
  try {
    Expression::compile(source);
  } catch (const ParseError& e) {
    return e.what();
  }
  return "";
}

inline std::string eval_error(std::string_view source) {
  MapContext ctx = person();
  auto e = Expression::compile(source);
  try {
    e.evaluate(ctx);
  } catch (const EvalError& err) {
    return err.what();
  }
  return "";
}

}  // namespace idsync::expr::test
