// The compiled form of an expression: a flat tree of nodes that the evaluator walks. Internal
// to idsync_expressions; the public face is Expression (expression.hpp).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "expressions/registry.hpp"
#include "expressions/value.hpp"

namespace idsync::expr::detail {

struct BuiltinSpec;

enum class NodeKind : std::uint8_t {
  constant,   // constants[index]: literals, NULL, enum constants (as their canonical name)
  attribute,  // attributes[index]
  variable,   // Select's iteration variable; index = nesting depth of its Select (0 = outer)
  authoritative_null,
  ignore_this_flow,
  builtin,   // eagerly evaluated built-in; index into builtin_table()
  external,  // registry function; externals[index]
  iif,       // children: condition, then, else; only the chosen branch is evaluated
  coalesce,  // children evaluated left to right until one is not NULL
  select,    // children: variable, collection, function; index = depth of the variable
  concat,    // "&"
  compare,   // op: CompareOp
  logical_and,
  logical_or,
  logical_not,
};

enum class CompareOp : std::uint8_t { eq, ne, lt, le, gt, ge };

struct Node {
  NodeKind kind;
  std::uint8_t op = 0;
  std::uint32_t column = 0;  // 1-based, for evaluation errors
  std::uint32_t index = 0;
  std::uint32_t first_child = 0;  // into Program::children
  std::uint32_t child_count = 0;
};

struct Program {
  std::string source;
  std::vector<Node> nodes;
  std::vector<std::uint32_t> children;
  std::vector<Value> constants;
  std::vector<std::string> attributes;  // distinct (case-insensitively), first spelling, in order
  std::vector<std::shared_ptr<const RegisteredFunction>> externals;
  std::uint32_t root = 0;
  std::uint32_t variable_slots = 0;  // deepest Select nesting

  const Node& child(const Node& n, std::uint32_t i) const {
    return nodes[children[n.first_child + i]];
  }
};

}  // namespace idsync::expr::detail
