// Functions added to the expression language by the host, e.g. from rule plugins
// (idsync_rule_function in idsync/plugin_abi.h).
#pragma once

#include <cstddef>
#include <functional>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "expressions/value.hpp"

namespace idsync::expr {

// Receives the evaluated arguments (each possibly NULL or multi-valued) and returns the result
// (NULL, one or several values). Must be pure and thread-safe: compiled expressions are
// evaluated concurrently. An exception it throws is reported as an EvalError naming the
// function (an EvalError it throws passes through unchanged).
using ExternalFunction = std::function<Value(std::span<const Value> args)>;

struct RegisteredFunction {
  std::string name;  // as registered; calls match it case-insensitively
  std::size_t min_args = 0;
  std::size_t max_args = 0;  // kUnbounded: any number from min_args
  ExternalFunction call;
};

class FunctionRegistry {
 public:
  static constexpr std::size_t kUnbounded = std::numeric_limits<std::size_t>::max();

  // Throws std::invalid_argument when `name` is not an identifier ([A-Za-z_][A-Za-z0-9_]*),
  // is a built-in function or constant (no shadowing: an expression's meaning must not depend
  // on which plugins are loaded), is already registered (case-insensitively), when
  // min_args > max_args, or when `call` is empty.
  void add(std::string name, std::size_t min_args, std::size_t max_args, ExternalFunction call);

  // nullptr when not registered. Expressions compiled against the registry keep the function
  // alive (shared ownership), so the registry may be destroyed before them.
  std::shared_ptr<const RegisteredFunction> find(std::string_view name) const;
  std::vector<std::string> names() const;

 private:
  std::vector<std::shared_ptr<const RegisteredFunction>> functions_;
};

}  // namespace idsync::expr
