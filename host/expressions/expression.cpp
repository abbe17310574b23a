// The evaluator: a recursive walk over the compiled Program. No parsing or name lookup
// happens here; attribute names were resolved to indexes and functions to table entries at
// compile time.
#include "expressions/expression.hpp"

#include <array>

#include "expressions/builtins.hpp"
#include "expressions/function_support.hpp"
#include "expressions/parser.hpp"

namespace idsync::expr {
namespace {

using detail::Call;
using detail::CompareOp;
using detail::Node;
using detail::NodeKind;
using detail::Program;

constexpr std::string_view operator_name(NodeKind kind) {
  switch (kind) {
    case NodeKind::concat:
      return "operator &";
    case NodeKind::logical_and:
      return "operator &&";
    case NodeKind::logical_or:
      return "operator ||";
    case NodeKind::logical_not:
      return "operator !";
    case NodeKind::iif:
      return "IIF";
    default:
      return "comparison";
  }
}

// Orders two scalars for the comparison operators: numbers and date/times numerically (also
// against text holding one), everything else by the bytes of the text form, case-sensitively.
int compare_scalars(const Scalar& a, const Scalar& b, const Call& call) {
  auto three_way = [](auto x, auto y) { return x < y ? -1 : (x > y ? 1 : 0); };
  auto numeric = [](ValueType t) {
    return t == ValueType::integer || t == ValueType::boolean || t == ValueType::datetime;
  };
  if (numeric(a.type) && a.type == b.type) return three_way(a.number, b.number);
  if ((a.type == ValueType::integer && b.is_text()) ||
      (b.type == ValueType::integer && a.is_text())) {
    const Scalar& text = a.is_text() ? a : b;
    if (auto n = parse_integer(text.bytes))
      return a.is_text() ? three_way(*n, b.number) : three_way(a.number, *n);
  }
  if ((a.type == ValueType::datetime && b.is_text()) ||
      (b.type == ValueType::datetime && a.is_text())) {
    const Scalar& text = a.is_text() ? a : b;
    if (auto t = parse_datetime(text.bytes))
      return a.is_text() ? three_way(*t, b.number) : three_way(a.number, *t);
  }
  if ((a.type == ValueType::binary) != (b.type == ValueType::binary))
    detail::fail(call, "cannot compare binary " + describe(a.type == ValueType::binary ? a : b) +
                           " with " +
                           std::string(type_name(a.type == ValueType::binary ? b.type : a.type)));
  if (a.type == ValueType::binary || (a.is_text() && b.is_text()))
    return a.bytes.compare(b.bytes) < 0 ? -1 : (a.bytes == b.bytes ? 0 : 1);
  std::string x = *to_text(a), y = *to_text(b);
  return x < y ? -1 : (x > y ? 1 : 0);
}

class Evaluator {
 public:
  Evaluator(const Program& p, const EvalContext& ctx) : p_(p), ctx_(ctx) {}

  Result result(std::uint32_t index) {
    // Walk down through IIFs in result position: that is where AuthoritativeNull and
    // IgnoreThisFlow may appear (the parser rejects them anywhere else).
    for (;;) {
      const Node& n = p_.nodes[index];
      if (n.kind == NodeKind::iif) {
        index = p_.children[n.first_child + (condition(n, 0) ? 1 : 2)];
        continue;
      }
      if (n.kind == NodeKind::authoritative_null) return {Result::Kind::authoritative_null, {}};
      if (n.kind == NodeKind::ignore_this_flow) return {Result::Kind::ignore_this_flow, {}};
      Value v = eval(index);
      if (v.is_null()) return {Result::Kind::null, {}};
      return {Result::Kind::values, std::move(v)};
    }
  }

 private:
  Call call_of(const Node& n, std::string_view name) const { return Call{name, n.column, ctx_}; }

  bool condition(const Node& n, std::uint32_t child) {
    Value v = eval(p_.children[n.first_child + child]);
    return detail::truth(v, child, call_of(n, operator_name(n.kind)));
  }

  Value eval(std::uint32_t index) {
    const Node& n = p_.nodes[index];
    switch (n.kind) {
      case NodeKind::constant:
        return p_.constants[n.index];
      case NodeKind::attribute: {
        const Value* v = ctx_.attribute(p_.attributes[n.index]);
        return v ? *v : Value{};
      }
      case NodeKind::variable:
        return Value(*variables_[n.index]);
      case NodeKind::builtin:
        return builtin(n);
      case NodeKind::external:
        return external(n);
      case NodeKind::iif:
        return eval(p_.children[n.first_child + (condition(n, 0) ? 1 : 2)]);
      case NodeKind::coalesce:
        return coalesce(n);
      case NodeKind::select:
        return select(n);
      case NodeKind::concat:
        return concat(n);
      case NodeKind::compare:
        return compare(n);
      case NodeKind::logical_and:
        return Value::boolean(condition(n, 0) && condition(n, 1));
      case NodeKind::logical_or:
        return Value::boolean(condition(n, 0) || condition(n, 1));
      case NodeKind::logical_not:
        return Value::boolean(!condition(n, 0));
      case NodeKind::authoritative_null:
      case NodeKind::ignore_this_flow:
        break;  // the parser keeps these in result positions, handled by result()
    }
    throw std::logic_error("expression evaluator: special constant outside a result position");
  }

  Value builtin(const Node& n) {
    const detail::BuiltinSpec& spec = detail::builtin_table()[n.index];
    Call call = call_of(n, spec.name);
    // Up to four arguments live on the stack; only variadic calls with more allocate.
    if (n.child_count <= 4) {
      std::array<Value, 4> args;
      for (std::uint32_t i = 0; i < n.child_count; ++i)
        args[i] = eval(p_.children[n.first_child + i]);
      return spec.fn(std::span<Value>(args.data(), n.child_count), call);
    }
    std::vector<Value> args(n.child_count);
    for (std::uint32_t i = 0; i < n.child_count; ++i)
      args[i] = eval(p_.children[n.first_child + i]);
    return spec.fn(args, call);
  }

  Value external(const Node& n) {
    const RegisteredFunction& f = *p_.externals[n.index];
    std::vector<Value> args(n.child_count);
    for (std::uint32_t i = 0; i < n.child_count; ++i)
      args[i] = eval(p_.children[n.first_child + i]);
    try {
      return f.call(std::span<const Value>(args));
    } catch (const EvalError&) {
      throw;
    } catch (const std::exception& e) {
      throw EvalError(f.name, n.column, e.what());
    }
  }

  // Coalesce skips NULL and empty strings: directories such as AD cannot store an empty
  // string, so an empty value is as good as absent for choosing a fallback.
  Value coalesce(const Node& n) {
    for (std::uint32_t i = 0; i < n.child_count; ++i) {
      Value v = eval(p_.children[n.first_child + i]);
      if (v.is_null()) continue;
      if (v.size() == 1 && v[0].type == ValueType::string && v[0].bytes.empty()) continue;
      return v;
    }
    return {};
  }

  Value select(const Node& n) {
    Value collection = eval(p_.children[n.first_child + 1]);
    const std::uint32_t body = p_.children[n.first_child + 2];
    Value out;
    for (const Scalar& item : collection) {
      variables_[n.index] = &item;
      Value r = eval(body);
      for (Scalar& s : r.items()) out.push_back(std::move(s));
    }
    return out;
  }

  Value concat(const Node& n) {
    Call call = call_of(n, "operator &");
    Value left = eval(p_.children[n.first_child]);
    Value right = eval(p_.children[n.first_child + 1]);
    std::span<Value> both(&left, 1);
    // NULL concatenates as the empty string, as in VBA: [givenName] & " " & [sn] still
    // yields a value when one part is missing.
    std::string* l = detail::text_in_place(both, 0, call);
    if (!l) {
      left = Value::string({});
      l = &left[0].bytes;
    }
    std::span<Value> rs(&right, 1);
    if (const std::string* r = detail::text_in_place(rs, 0, call)) l->append(*r);
    return left;
  }

  Value compare(const Node& n) {
    Call call = call_of(n, "comparison");
    Value a = eval(p_.children[n.first_child]);
    Value b = eval(p_.children[n.first_child + 1]);
    auto op = static_cast<CompareOp>(n.op);
    for (const Value* v : {&a, &b})
      if (v->size() > 1) detail::fail(call, "cannot compare a multi-valued value " + describe(*v));
    // NULL equals only NULL and is neither less nor greater than anything.
    if (a.is_null() || b.is_null()) {
      bool both = a.is_null() && b.is_null();
      return Value::boolean(op == CompareOp::eq ? both : (op == CompareOp::ne ? !both : false));
    }
    int c = compare_scalars(a[0], b[0], call);
    switch (op) {
      case CompareOp::eq:
        return Value::boolean(c == 0);
      case CompareOp::ne:
        return Value::boolean(c != 0);
      case CompareOp::lt:
        return Value::boolean(c < 0);
      case CompareOp::le:
        return Value::boolean(c <= 0);
      case CompareOp::gt:
        return Value::boolean(c > 0);
      case CompareOp::ge:
        return Value::boolean(c >= 0);
    }
    return {};
  }

  const Program& p_;
  const EvalContext& ctx_;
  std::array<const Scalar*, 8> variables_{};  // Select nesting is bounded by the parser
};

}  // namespace

Expression::Expression(std::shared_ptr<const detail::Program> program)
    : program_(std::move(program)) {}

Expression Expression::compile(std::string_view source, const FunctionRegistry* registry) {
  return Expression(std::make_shared<const detail::Program>(detail::parse(source, registry)));
}

Result Expression::evaluate(const EvalContext& context) const {
  return Evaluator(*program_, context).result(program_->root);
}

const std::vector<std::string>& Expression::referenced_attributes() const {
  return program_->attributes;
}

const std::string& Expression::source() const { return program_->source; }

}  // namespace idsync::expr
