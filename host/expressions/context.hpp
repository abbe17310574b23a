// What an expression is evaluated against: the attributes of one object, and the clock.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <unordered_map>

#include "expressions/value.hpp"

namespace idsync::expr {

using TimePoint = std::chrono::sys_time<std::chrono::microseconds>;

// Implemented by the sync engine over a connector-space or metaverse object.
class EvalContext {
 public:
  virtual ~EvalContext() = default;
  // The values of attribute `name`, or nullptr when the object does not have it (NULL).
  // Attribute names are case-insensitive: `name` is spelled as in the expression and the
  // implementation must match it case-insensitively. The pointer must stay valid for the
  // duration of the evaluate() call.
  virtual const Value* attribute(std::string_view name) const = 0;
  // The time Now() returns. Called once per Now() call; override it to pin the time in tests
  // or to give a whole sync run one consistent "now".
  virtual TimePoint now() const;
};

// An EvalContext over an in-memory map: for tests, tools and benchmarks.
class MapContext : public EvalContext {
 public:
  MapContext() = default;
  MapContext& set(std::string_view name, Value value);
  MapContext& set_now(TimePoint now);
  const Value* attribute(std::string_view name) const override;
  TimePoint now() const override;

 private:
  std::unordered_map<std::string, Value> attributes_;  // keys lower-cased (ASCII)
  std::optional<TimePoint> now_;
};

}  // namespace idsync::expr
