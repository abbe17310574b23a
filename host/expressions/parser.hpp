// Source text to Program. Internal to idsync_expressions.
#pragma once

#include <string_view>

#include "expressions/program.hpp"

namespace idsync::expr::detail {

// Throws ParseError.
Program parse(std::string_view source, const FunctionRegistry* registry);

}  // namespace idsync::expr::detail
