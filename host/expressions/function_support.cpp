#include "expressions/function_support.hpp"

#include "expressions/text.hpp"

namespace idsync::expr::detail {

void fail(const Call& call, const std::string& detail) {
  throw EvalError(std::string(call.function), call.column, detail);
}

void fail_arg(const Call& call, std::size_t arg, const std::string& detail) {
  fail(call, "argument " + std::to_string(arg + 1) + ": " + detail);
}

const Scalar* single(std::span<Value> args, std::size_t i, const Call& call) {
  const Value& v = args[i];
  if (v.is_null()) return nullptr;
  if (v.size() > 1)
    fail_arg(
        call, i,
        "expected a single value, found " + std::to_string(v.size()) + " values " + describe(v));
  return &v[0];
}

std::string& scalar_text_in_place(Scalar& s, std::size_t i, const Call& call) {
  switch (s.type) {
    case ValueType::string:
      return s.bytes;
    case ValueType::binary:
      fail_arg(call, i, "expected text, found binary value " + describe(s));
    case ValueType::reference:
      s.type = ValueType::string;
      return s.bytes;
    default:
      s.bytes.clear();
      append_text(s, s.bytes);
      s.type = ValueType::string;
      s.number = 0;
      return s.bytes;
  }
}

std::string* text_in_place(std::span<Value> args, std::size_t i, const Call& call) {
  if (!single(args, i, call)) return nullptr;
  return &scalar_text_in_place(args[i][0], i, call);
}

std::string text_arg(std::span<Value> args, std::size_t i, const Call& call, std::string fallback) {
  std::string* t = text_in_place(args, i, call);
  return t ? std::move(*t) : std::move(fallback);
}

std::int64_t integer_of(const Scalar& s, std::size_t i, const Call& call) {
  if (s.type == ValueType::integer) return s.number;
  if (s.is_text()) {
    if (auto n = parse_integer(s.bytes)) return *n;
    fail_arg(call, i, describe(s) + " is not a whole number");
  }
  fail_arg(call, i,
           "expected a number, found " + std::string(type_name(s.type)) + " " + describe(s));
}

std::int64_t integer_arg(std::span<Value> args, std::size_t i, const Call& call) {
  const Scalar* s = single(args, i, call);
  if (!s) fail_arg(call, i, "expected a number, found NULL");
  return integer_of(*s, i, call);
}

std::int64_t datetime_arg(std::span<Value> args, std::size_t i, const Call& call) {
  const Scalar* s = single(args, i, call);
  if (!s) fail_arg(call, i, "expected a date/time, found NULL");
  if (s->type == ValueType::datetime) return s->number;
  if (s->is_text()) {
    if (auto t = parse_datetime(s->bytes)) return *t;
    fail_arg(call, i, describe(*s) + " is not an RFC 3339 date/time");
  }
  fail_arg(call, i,
           "expected a date/time, found " + std::string(type_name(s->type)) + " " + describe(*s));
}

bool truth(const Value& v, std::size_t arg, const Call& call) {
  if (v.is_null()) return false;
  if (v.size() > 1)
    fail_arg(call, arg,
             "expected a single True/False value, found " + std::to_string(v.size()) + " values " +
                 describe(v));
  const Scalar& s = v[0];
  switch (s.type) {
    case ValueType::boolean:
    case ValueType::integer:
      return s.number != 0;
    case ValueType::string:
      if (iequals(s.bytes, "true")) return true;
      if (iequals(s.bytes, "false")) return false;
      if (auto n = parse_integer(s.bytes)) return *n != 0;
      break;
    default:
      break;
  }
  fail_arg(call, arg,
           "expected True or False, found " + std::string(type_name(s.type)) + " " + describe(s));
}

}  // namespace idsync::expr::detail
