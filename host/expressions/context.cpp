#include "expressions/context.hpp"

#include "expressions/text.hpp"

namespace idsync::expr {

TimePoint EvalContext::now() const {
  return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
}

MapContext& MapContext::set(std::string_view name, Value value) {
  attributes_[ascii_lower(name)] = std::move(value);
  return *this;
}

MapContext& MapContext::set_now(TimePoint now) {
  now_ = now;
  return *this;
}

const Value* MapContext::attribute(std::string_view name) const {
  // Attribute names in practice are short: the lower-cased key stays in the SSO buffer.
  auto it = attributes_.find(ascii_lower(name));
  return it == attributes_.end() ? nullptr : &it->second;
}

TimePoint MapContext::now() const { return now_ ? *now_ : EvalContext::now(); }

}  // namespace idsync::expr
