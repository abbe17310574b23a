// The sync-rule expression language (Entra Connect declarative provisioning): compile once,
// evaluate many times.
//
//   auto e = Expression::compile(R"(IIF(IsPresent([displayName]), [displayName],
//                                       [givenName] & " " & [sn]))");
//   Result r = e.evaluate(context);
//
// Syntax: [attribute] (case-insensitive), "string" (escapes \" and \\), 42, -7, &HFF, True,
// False, NULL, AuthoritativeNull, IgnoreThisFlow, Function(args...) (case-insensitive),
// $item (Select's iteration variable). Operators, loosest first: ||, &&, ! (prefix), the
// comparisons = <> < <= > >=, & (concatenation); parentheses group. Details of every
// function and operator are stated next to their implementations in functions_*.cpp.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "expressions/context.hpp"
#include "expressions/errors.hpp"
#include "expressions/registry.hpp"
#include "expressions/value.hpp"

namespace idsync::expr {

namespace detail {
struct Program;
}

// The outcome of one evaluation. The sync engine tells the kinds apart for precedence:
// `null` lets the next (lower-precedence) rule contribute, `authoritative_null` removes the
// value against every lower-precedence rule, `ignore_this_flow` contributes nothing.
struct Result {
  enum class Kind { values, null, authoritative_null, ignore_this_flow };
  Kind kind = Kind::null;
  Value value;  // non-empty exactly when kind == values
};

class Expression {
 public:
  // Parses and resolves `source`. Functions are resolved against the built-ins, then
  // `registry` (which may be null). Throws ParseError. AuthoritativeNull and IgnoreThisFlow
  // are accepted only where they become the result: the whole expression, or an IIF branch
  // that is itself such a place.
  static Expression compile(std::string_view source, const FunctionRegistry* registry = nullptr);

  // Thread-safe: a compiled expression is immutable. Throws EvalError.
  Result evaluate(const EvalContext& context) const;

  // The attributes the expression reads (distinct case-insensitively, spelled as first
  // written, in order of appearance), including those only read in an untaken IIF branch.
  const std::vector<std::string>& referenced_attributes() const;
  const std::string& source() const;

 private:
  explicit Expression(std::shared_ptr<const detail::Program> program);
  std::shared_ptr<const detail::Program> program_;
};

}  // namespace idsync::expr
