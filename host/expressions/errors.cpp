#include "expressions/errors.hpp"

namespace idsync::expr {

ParseError::ParseError(std::size_t column, const std::string& detail)
    : std::runtime_error("column " + std::to_string(column) + ": " + detail),
      column_(column),
      detail_(detail) {}

EvalError::EvalError(std::string function, std::size_t column, const std::string& detail)
    : std::runtime_error(function + (column ? " at column " + std::to_string(column) : "") + ": " +
                         detail),
      function_(std::move(function)),
      column_(column),
      detail_(detail) {}

}  // namespace idsync::expr
