#include "expressions/parser.hpp"

#include <algorithm>

#include "expressions/builtins.hpp"
#include "expressions/errors.hpp"
#include "expressions/lexer.hpp"
#include "expressions/text.hpp"

namespace idsync::expr::detail {
namespace {

// Select nesting is bounded so that the evaluator can keep iteration variables in a fixed
// array on the stack.
constexpr std::size_t kMaxSelectDepth = 8;

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      std::size_t cost = ascii_lower(a[i - 1]) == ascii_lower(b[j - 1]) ? 0 : 1;
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + cost});
      diag = up;
    }
  }
  return row[b.size()];
}

std::string arity_text(std::size_t min, std::size_t max) {
  auto plural = [](std::size_t n) { return n == 1 ? " argument" : " arguments"; };
  if (max == FunctionRegistry::kUnbounded || max == kVariadic)
    return "at least " + std::to_string(min) + plural(min);
  if (min == max) return std::to_string(min) + plural(min);
  if (max == min + 1) return std::to_string(min) + " or " + std::to_string(max) + " arguments";
  return std::to_string(min) + " to " + std::to_string(max) + " arguments";
}

class Parser {
 public:
  Parser(std::string_view source, const FunctionRegistry* registry)
      : tokens_(tokenize(source)), registry_(registry) {
    program_.source = std::string(source);
  }

  Program run() {
    std::uint32_t root = expression();
    if (peek().kind != TokenKind::end)
      throw ParseError(peek().column,
                       "expected an operator or end of expression, found " + describe(peek()));
    check_result_positions(root, true);
    program_.root = root;
    return std::move(program_);
  }

 private:
  const Token& peek(std::size_t ahead = 0) const {
    return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)];
  }
  const Token& next() {
    const Token& t = tokens_[pos_];
    if (pos_ + 1 < tokens_.size()) ++pos_;
    return t;
  }

  std::uint32_t add(Node n, std::initializer_list<std::uint32_t> kids = {}) {
    return add(n, std::vector<std::uint32_t>(kids));
  }
  std::uint32_t add(Node n, const std::vector<std::uint32_t>& kids) {
    n.first_child = static_cast<std::uint32_t>(program_.children.size());
    n.child_count = static_cast<std::uint32_t>(kids.size());
    program_.children.insert(program_.children.end(), kids.begin(), kids.end());
    program_.nodes.push_back(n);
    return static_cast<std::uint32_t>(program_.nodes.size() - 1);
  }
  std::uint32_t constant(Value v, std::size_t column) {
    program_.constants.push_back(std::move(v));
    return add({NodeKind::constant, 0, static_cast<std::uint32_t>(column),
                static_cast<std::uint32_t>(program_.constants.size() - 1)});
  }

  // Precedence, loosest first: || , && , ! , comparisons , & , operands.
  std::uint32_t expression() { return logical_or(); }

  std::uint32_t logical_or() {
    std::uint32_t left = logical_and();
    while (peek().kind == TokenKind::or_or) {
      std::size_t col = next().column;
      left = add({NodeKind::logical_or, 0, static_cast<std::uint32_t>(col)}, {left, logical_and()});
    }
    return left;
  }

  std::uint32_t logical_and() {
    std::uint32_t left = logical_not();
    while (peek().kind == TokenKind::and_and) {
      std::size_t col = next().column;
      left =
          add({NodeKind::logical_and, 0, static_cast<std::uint32_t>(col)}, {left, logical_not()});
    }
    return left;
  }

  // "!" binds looser than comparisons, so !IsPresent([a]) = True reads as !(... = True), the
  // way VBA's Not does.
  std::uint32_t logical_not() {
    if (peek().kind != TokenKind::bang) return comparison();
    std::size_t col = next().column;
    return add({NodeKind::logical_not, 0, static_cast<std::uint32_t>(col)}, {logical_not()});
  }

  std::uint32_t comparison() {
    std::uint32_t left = concatenation();
    for (;;) {
      CompareOp op;
      switch (peek().kind) {
        case TokenKind::eq:
          op = CompareOp::eq;
          break;
        case TokenKind::ne:
          op = CompareOp::ne;
          break;
        case TokenKind::lt:
          op = CompareOp::lt;
          break;
        case TokenKind::le:
          op = CompareOp::le;
          break;
        case TokenKind::gt:
          op = CompareOp::gt;
          break;
        case TokenKind::ge:
          op = CompareOp::ge;
          break;
        default:
          return left;
      }
      std::size_t col = next().column;
      left =
          add({NodeKind::compare, static_cast<std::uint8_t>(op), static_cast<std::uint32_t>(col)},
              {left, concatenation()});
    }
  }

  std::uint32_t concatenation() {
    std::uint32_t left = operand();
    while (peek().kind == TokenKind::amp) {
      std::size_t col = next().column;
      left = add({NodeKind::concat, 0, static_cast<std::uint32_t>(col)}, {left, operand()});
    }
    return left;
  }

  std::uint32_t operand() {
    const Token& t = peek();
    switch (t.kind) {
      case TokenKind::string:
        return constant(Value::string(next().text), t.column);
      case TokenKind::integer:
        return constant(Value::integer(next().number), t.column);
      case TokenKind::attribute:
        return attribute(next());
      case TokenKind::variable:
        return variable(next());
      case TokenKind::lparen: {
        std::size_t open = next().column;
        std::uint32_t inner = expression();
        if (peek().kind != TokenKind::rparen)
          throw ParseError(peek().column, "expected \")\" to close \"(\" opened at column " +
                                              std::to_string(open) + ", found " + describe(peek()));
        next();
        return inner;
      }
      case TokenKind::identifier:
        return identifier();
      default:
        throw ParseError(t.column,
                         "expected a value, attribute or function call, found " + describe(t));
    }
  }

  std::uint32_t attribute(const Token& t) {
    auto& names = program_.attributes;
    auto it = std::find_if(names.begin(), names.end(),
                           [&](const std::string& n) { return iequals(n, t.text); });
    if (it == names.end()) it = names.insert(names.end(), t.text);
    return add({NodeKind::attribute, 0, static_cast<std::uint32_t>(t.column),
                static_cast<std::uint32_t>(it - names.begin())});
  }

  std::uint32_t variable(const Token& t) {
    for (std::size_t d = scopes_.size(); d-- > 0;)
      if (iequals(scopes_[d], t.text))
        return add({NodeKind::variable, 0, static_cast<std::uint32_t>(t.column),
                    static_cast<std::uint32_t>(d)});
    throw ParseError(t.column, "unknown variable $" + t.text +
                                   "; a variable exists only in the function argument of the "
                                   "Select that names it");
  }

  std::uint32_t identifier() {
    const Token& t = next();
    const std::size_t col = t.column;
    if (peek().kind == TokenKind::lparen) return call(t);
    if (iequals(t.text, "True")) return constant(Value::boolean(true), col);
    if (iequals(t.text, "False")) return constant(Value::boolean(false), col);
    if (iequals(t.text, "NULL")) return constant(Value::null(), col);
    if (iequals(t.text, "AuthoritativeNull"))
      return add({NodeKind::authoritative_null, 0, static_cast<std::uint32_t>(col)});
    if (iequals(t.text, "IgnoreThisFlow"))
      return add({NodeKind::ignore_this_flow, 0, static_cast<std::uint32_t>(col)});
    if (find_builtin(t.text) || (registry_ && registry_->find(t.text)))
      throw ParseError(peek().column,
                       "expected \"(\" after " + t.text + ", found " + describe(peek()));
    throw ParseError(col, "unknown name \"" + t.text +
                              "\"; attributes are written in brackets, e.g. [" + t.text + "]");
  }

  std::string suggestion(std::string_view name) const {
    std::string best;
    std::size_t best_distance = std::max<std::size_t>(2, name.size() / 3) + 1;
    auto consider = [&](std::string_view candidate) {
      std::size_t d = edit_distance(name, candidate);
      if (d < best_distance) {
        best_distance = d;
        best = std::string(candidate);
      }
    };
    for (const auto& b : builtin_table()) consider(b.name);
    if (registry_)
      for (const auto& n : registry_->names()) consider(n);
    return best.empty() ? std::string() : "; did you mean \"" + best + "\"?";
  }

  std::uint32_t call(const Token& name) {
    const std::size_t col = name.column;
    std::optional<std::uint32_t> builtin = find_builtin(name.text);
    std::shared_ptr<const RegisteredFunction> external;
    if (!builtin && registry_) external = registry_->find(name.text);
    if (!builtin && !external)
      throw ParseError(col, "unknown function \"" + name.text + "\"" + suggestion(name.text));
    const BuiltinSpec* spec = builtin ? &builtin_table()[*builtin] : nullptr;
    const std::string display = spec ? std::string(spec->name) : external->name;
    const std::size_t min = spec ? spec->min_args : external->min_args;
    const std::size_t max = spec ? (spec->max_args == kVariadic ? FunctionRegistry::kUnbounded
                                                                : std::size_t{spec->max_args})
                                 : external->max_args;
    const bool is_select = spec && spec->kind == NodeKind::select;

    next();  // "("
    std::vector<std::uint32_t> args;
    std::size_t select_depth = scopes_.size();
    std::string select_var;
    if (peek().kind != TokenKind::rparen) {
      for (;;) {
        const std::size_t index = args.size();
        if (is_select && index == 0) {
          args.push_back(select_variable(display, select_var));
        } else if (is_select && index == 2) {
          scopes_.push_back(select_var);
          args.push_back(expression());
          scopes_.pop_back();
        } else if (spec && spec->enum_arg == static_cast<std::int8_t>(index) &&
                   peek().kind == TokenKind::identifier && peek(1).kind != TokenKind::lparen &&
                   !is_reserved_constant(peek().text)) {
          args.push_back(enum_constant(*spec));
        } else {
          args.push_back(expression());
        }
        if (peek().kind == TokenKind::comma) {
          next();
          continue;
        }
        if (peek().kind == TokenKind::rparen) break;
        const bool room = args.size() < max && peek().kind != TokenKind::end;
        throw ParseError(peek().column, std::string("expected ") + (room ? "\",\" or " : "") +
                                            "\")\" to close " + display + "( opened at column " +
                                            std::to_string(col) + ", found " + describe(peek()));
      }
    }
    next();  // ")"
    if (args.size() < min || args.size() > max)
      throw ParseError(col, display + " takes " + arity_text(min, max) + ", found " +
                                std::to_string(args.size()));
    Node n{spec ? spec->kind : NodeKind::external, 0, static_cast<std::uint32_t>(col), 0};
    if (spec) {
      n.index = *builtin;
    } else {
      program_.externals.push_back(std::move(external));
      n.index = static_cast<std::uint32_t>(program_.externals.size() - 1);
    }
    if (is_select) {
      n.index = static_cast<std::uint32_t>(select_depth);
      program_.variable_slots =
          std::max(program_.variable_slots, static_cast<std::uint32_t>(select_depth + 1));
    }
    return add(n, args);
  }

  std::uint32_t select_variable(const std::string& display, std::string& name) {
    if (peek().kind != TokenKind::variable)
      throw ParseError(peek().column,
                       "expected an iteration variable such as $item as argument 1 "
                       "of " +
                           display + ", found " + describe(peek()));
    if (scopes_.size() >= kMaxSelectDepth)
      throw ParseError(peek().column, display + " is nested more than " +
                                          std::to_string(kMaxSelectDepth) + " deep");
    const Token& v = next();
    name = v.text;
    // The declaration itself is not evaluated; a placeholder keeps the child positions fixed.
    return add({NodeKind::constant, 0, static_cast<std::uint32_t>(v.column), null_constant()});
  }

  std::uint32_t null_constant() {
    program_.constants.emplace_back();
    return static_cast<std::uint32_t>(program_.constants.size() - 1);
  }

  std::uint32_t enum_constant(const BuiltinSpec& spec) {
    const Token& t = next();
    for (std::string_view v : spec.enum_values)
      if (iequals(v, t.text)) return constant(Value::string(std::string(v)), t.column);
    std::string choices;
    for (std::string_view v : spec.enum_values)
      choices += (choices.empty() ? "" : ", ") + std::string(v);
    throw ParseError(t.column, "expected one of " + choices + " as argument " +
                                   std::to_string(spec.enum_arg + 1) + " of " +
                                   std::string(spec.name) + ", found " + describe(t));
  }

  // AuthoritativeNull and IgnoreThisFlow are instructions to the sync engine, not values: they
  // may only be what the expression as a whole yields.
  void check_result_positions(std::uint32_t index, bool result_position) {
    const Node& n = program_.nodes[index];
    if ((n.kind == NodeKind::authoritative_null || n.kind == NodeKind::ignore_this_flow) &&
        !result_position) {
      throw ParseError(n.column,
                       std::string(n.kind == NodeKind::authoritative_null ? "AuthoritativeNull"
                                                                          : "IgnoreThisFlow") +
                           " can only be the result of the expression or of an IIF "
                           "branch, not an operand");
    }
    for (std::uint32_t i = 0; i < n.child_count; ++i) {
      bool branch = result_position && n.kind == NodeKind::iif && i > 0;
      check_result_positions(program_.children[n.first_child + i], branch);
    }
  }

  std::vector<Token> tokens_;
  std::size_t pos_ = 0;
  const FunctionRegistry* registry_;
  Program program_;
  std::vector<std::string> scopes_;  // Select variables in scope, outermost first
};

}  // namespace

Program parse(std::string_view source, const FunctionRegistry* registry) {
  return Parser(source, registry).run();
}

}  // namespace idsync::expr::detail
