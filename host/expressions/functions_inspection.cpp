// IsPresent, IsNullOrEmpty, IsString: questions about a value that never fail.
#include "expressions/functions.hpp"

namespace idsync::expr::detail {
namespace {

bool empty_scalar(const Scalar& s) {
  return (s.is_text() || s.type == ValueType::binary) && s.bytes.empty();
}

// Present: at least one value that is not an empty string (a multi-valued attribute of only
// empty strings is as good as absent).
bool present(const Value& v) {
  for (const Scalar& s : v)
    if (!empty_scalar(s)) return true;
  return false;
}

}  // namespace

Value fn_is_present(std::span<Value> args, const Call&) { return Value::boolean(present(args[0])); }

Value fn_is_null_or_empty(std::span<Value> args, const Call&) {
  return Value::boolean(!present(args[0]));
}

// IsString: True when every value is text (string or reference) and there is at least one.
Value fn_is_string(std::span<Value> args, const Call&) {
  if (args[0].is_null()) return Value::boolean(false);
  for (const Scalar& s : args[0])
    if (!s.is_text()) return Value::boolean(false);
  return Value::boolean(true);
}

}  // namespace idsync::expr::detail
