// Errors of the expression language: ParseError when an expression is compiled, EvalError when
// a compiled expression is evaluated against an object.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

namespace idsync::expr {

// Thrown by Expression::compile. what() is "column N: <detail>"; column() is 1-based and counts
// bytes of the source text (expressions are ASCII in practice; a UTF-8 literal counts per byte).
class ParseError : public std::runtime_error {
 public:
  ParseError(std::size_t column, const std::string& detail);
  std::size_t column() const noexcept { return column_; }
  const std::string& detail() const noexcept { return detail_; }

 private:
  std::size_t column_;
  std::string detail_;
};

// Thrown by Expression::evaluate when a function or operator cannot produce a value for the
// data it was given (CNum("abc"), Item out of range, bad base64, multi-valued where one value is
// required). what() is "<Function> at column N: <detail>", e.g.
// `CNum at column 1: argument 1: "abc" is not a whole number`. Column 0 stands for "not in an
// expression" (a rule plugin's transform) and is left out of what().
class EvalError : public std::runtime_error {
 public:
  EvalError(std::string function, std::size_t column, const std::string& detail);
  const std::string& function() const noexcept { return function_; }
  std::size_t column() const noexcept { return column_; }
  const std::string& detail() const noexcept { return detail_; }

 private:
  std::string function_;
  std::size_t column_;
  std::string detail_;
};

}  // namespace idsync::expr
