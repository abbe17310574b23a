// Argument handling shared by the built-in functions: the coercion rules, and errors that
// name the function, the argument and the problem. Internal to idsync_expressions.
//
// Coercions (the same for every built-in):
//   text argument:    string and reference as is; integer, boolean ("True"/"False") and
//                     datetime (RFC 3339) converted; binary is an error.
//   integer argument: integer; a string or reference holding a decimal integer; boolean is
//                     an error (VBA and .NET disagree on True = -1 or 1, so neither is guessed).
//   datetime argument: datetime; a string holding RFC 3339 text.
// A single-valued parameter given a multi-valued argument is an error. NULL is handled by
// each function as documented next to it.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "expressions/builtins.hpp"
#include "expressions/errors.hpp"

namespace idsync::expr::detail {

[[noreturn]] void fail(const Call& call, const std::string& detail);
[[noreturn]] void fail_arg(const Call& call, std::size_t arg, const std::string& detail);

// The one scalar of args[i]; nullptr when NULL; EvalError when multi-valued.
const Scalar* single(std::span<Value> args, std::size_t i, const Call& call);

// Converts the one scalar of args[i] to a string scalar in place and returns its text;
// nullptr when NULL. Lets Trim/LCase/... rewrite their argument without copying it.
std::string* text_in_place(std::span<Value> args, std::size_t i, const Call& call);
// Converts scalar `s` (argument i) to a string scalar in place.
std::string& scalar_text_in_place(Scalar& s, std::size_t i, const Call& call);
// A copy of the text of args[i]; `fallback` when NULL.
std::string text_arg(std::span<Value> args, std::size_t i, const Call& call,
                     std::string fallback = {});

// The integer of args[i]; EvalError when NULL.
std::int64_t integer_arg(std::span<Value> args, std::size_t i, const Call& call);
std::int64_t integer_of(const Scalar& s, std::size_t i, const Call& call);

// Microseconds since the epoch of args[i]; EvalError when NULL.
std::int64_t datetime_arg(std::span<Value> args, std::size_t i, const Call& call);

// Truth of a condition (IIF, &&, ||, !, CBool): boolean as is, integer non-zero, strings
// "True"/"False" (any case) or a decimal integer; NULL is False. Anything else is an error.
bool truth(const Value& v, std::size_t arg, const Call& call);

}  // namespace idsync::expr::detail
