#include "expressions/registry.hpp"

#include <stdexcept>

#include "expressions/builtins.hpp"
#include "expressions/text.hpp"

namespace idsync::expr {

namespace {
bool is_identifier(std::string_view s) {
  if (s.empty()) return false;
  auto start = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; };
  if (!start(s.front())) return false;
  for (char c : s)
    if (!start(c) && !(c >= '0' && c <= '9')) return false;
  return true;
}
}  // namespace

void FunctionRegistry::add(std::string name, std::size_t min_args, std::size_t max_args,
                           ExternalFunction call) {
  if (!is_identifier(name))
    throw std::invalid_argument("expression function name \"" + name +
                                "\" is not an identifier ([A-Za-z_][A-Za-z0-9_]*)");
  if (detail::find_builtin(name) || detail::is_reserved_constant(name))
    throw std::invalid_argument("expression function \"" + name +
                                "\" would shadow the built-in of that name");
  if (find(name))
    throw std::invalid_argument("expression function \"" + name + "\" is already registered");
  if (min_args > max_args)
    throw std::invalid_argument("expression function \"" + name + "\": min_args > max_args");
  if (!call) throw std::invalid_argument("expression function \"" + name + "\" has no callable");
  functions_.push_back(std::make_shared<const RegisteredFunction>(
      RegisteredFunction{std::move(name), min_args, max_args, std::move(call)}));
}

std::shared_ptr<const RegisteredFunction> FunctionRegistry::find(std::string_view name) const {
  for (const auto& f : functions_)
    if (iequals(f->name, name)) return f;
  return nullptr;
}

void FunctionRegistry::add_transform(std::string name, ExternalTransform apply) {
  if (name.empty()) throw std::invalid_argument("a transform needs a name");
  if (find_transform(name))
    throw std::invalid_argument("transform \"" + name + "\" is already registered");
  if (!apply) throw std::invalid_argument("transform \"" + name + "\" has no callable");
  transforms_.emplace_back(std::move(name),
                           std::make_unique<const ExternalTransform>(std::move(apply)));
}

const ExternalTransform* FunctionRegistry::find_transform(std::string_view name) const {
  for (const auto& [n, t] : transforms_)
    if (iequals(n, name)) return t.get();
  return nullptr;
}

std::vector<std::string> FunctionRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& f : functions_) out.push_back(f->name);
  return out;
}

}  // namespace idsync::expr
