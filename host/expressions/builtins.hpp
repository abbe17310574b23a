// The table of built-in functions: names, arity, enum-constant arguments, implementation.
// Internal to idsync_expressions.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "expressions/program.hpp"

namespace idsync::expr {
class EvalContext;
}

namespace idsync::expr::detail {

// Where a built-in is being called from, for error messages and for Now().
struct Call {
  std::string_view function;
  std::size_t column;
  const EvalContext& context;
};

// Arguments arrive evaluated; implementations may move from or modify them (Trim and LCase
// rewrite their argument in place instead of copying it).
using BuiltinFn = Value (*)(std::span<Value> args, const Call& call);

inline constexpr std::uint8_t kVariadic = 255;

struct BuiltinSpec {
  std::string_view name;
  std::uint8_t min_args;
  std::uint8_t max_args;  // kVariadic: unbounded
  NodeKind kind;          // builtin, or iif/coalesce/select for the lazily evaluated ones
  BuiltinFn fn;           // null for the lazy ones, which the evaluator implements
  // An argument that takes a bare enum constant (Contains(..., CaseInsensitive)); -1 if none.
  std::int8_t enum_arg = -1;
  std::span<const std::string_view> enum_values = {};
};

std::span<const BuiltinSpec> builtin_table();
// Case-insensitive lookup; nullopt if not built in.
std::optional<std::uint32_t> find_builtin(std::string_view name);
// True for True, False, NULL, AuthoritativeNull, IgnoreThisFlow (any case).
bool is_reserved_constant(std::string_view name);

}  // namespace idsync::expr::detail
