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
#include <utility>
#include <vector>

#include "expressions/value.hpp"

namespace idsync::expr {

// Receives the evaluated arguments (each possibly NULL or multi-valued) and returns the result
// (NULL, one or several values). Must be pure and thread-safe: compiled expressions are
// evaluated concurrently. An exception it throws is reported as an EvalError naming the
// function (an EvalError it throws passes through unchanged).
using ExternalFunction = std::function<Value(std::span<const Value> args)>;

// A whole-object transform added by the host (idsync_rule_transform in idsync/plugin_abi.h):
// the object's type and attributes in, the attributes it sets out, each replacing that
// attribute (a NULL value clears it). Pure and thread-safe like a function; a failure is an
// exception (EvalError, or anything the caller reports as one).
using TransformAttributes = std::vector<std::pair<std::string, Value>>;
using ExternalTransform = std::function<TransformAttributes(std::string_view object_type,
                                                            const TransformAttributes& attributes)>;

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

  // Transforms live beside the functions (their own name space). Throws std::invalid_argument
  // when `name` is empty or already registered (case-insensitively), or `apply` is empty.
  void add_transform(std::string name, ExternalTransform apply);
  // nullptr when not registered; valid as long as the registry.
  const ExternalTransform* find_transform(std::string_view name) const;

  // Who provided the registered functions and transforms ("contoso-rules 0.1.0"), in the order
  // added: part of what a compiled rule means, so that a plugin upgrade counts as a rule
  // change (sync/rule_generation.hpp).
  void add_provider(std::string identity) { providers_.push_back(std::move(identity)); }
  const std::vector<std::string>& providers() const { return providers_; }

 private:
  std::vector<std::string> providers_;
  std::vector<std::shared_ptr<const RegisteredFunction>> functions_;
  std::vector<std::pair<std::string, std::unique_ptr<const ExternalTransform>>> transforms_;
};

}  // namespace idsync::expr
