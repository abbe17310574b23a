// The language: literals, attributes, operators and precedence, special constants, parse
// errors, the registry, referenced_attributes.
#include "eval_helpers.hpp"

using namespace idsync::expr;
using namespace idsync::expr::test;

TEST_CASE("literals and attribute references", "[language]") {
  CHECK(str(R"~("a \"quoted\" \\ word")~") == "a \"quoted\" \\ word");
  CHECK(num("-9223372036854775808") == INT64_MIN);
  CHECK(num("&HF7") == 0xF7);
  CHECK(boolean("true") == true);
  CHECK(boolean("FALSE") == false);
  CHECK(eval("NULL").is_null());
  CHECK(str("[GIVENNAME]") == "John");
  CHECK(eval("[missing]").is_null());
  CHECK(eval("[proxyAddresses]").size() == 3);
}

TEST_CASE("concatenation treats NULL as empty and converts numbers", "[language]") {
  CHECK(str(R"~([givenName] & " " & [sn])~") == "John Doe");
  CHECK(str(R"~([missing] & "x" & NULL)~") == "x");
  CHECK(str(R"~("n=" & 5 & True)~") == "n=5True");
  CHECK(eval_error("[proxyAddresses] & \"x\"")
            .find("operator & at column 18: argument 1: expected a single value") == 0);
}

TEST_CASE("comparisons", "[language]") {
  CHECK(boolean(R"~("abc" = "abc")~"));
  CHECK_FALSE(boolean(R"~("abc" = "ABC")~"));  // case-sensitive
  CHECK(boolean(R"~("B" < "a")~"));            // ordinal
  CHECK(boolean("9 < 10"));                    // numeric, not textual
  CHECK(boolean(R"~([employeeID] = 42)~"));    // numeric text against a number
  CHECK(boolean("[userAccountControl] >= 514"));
  CHECK(boolean("[missing] = NULL"));
  CHECK(boolean("[missing] <> \"x\""));
  CHECK_FALSE(boolean("[missing] < \"x\""));
  CHECK_FALSE(boolean("[missing] >= \"x\""));
  CHECK(boolean("1 <> 2"));
  CHECK(boolean("2 <= 2"));
  CHECK(boolean("3 > 2"));
}

TEST_CASE("operator precedence: || < && < ! < comparison < &", "[language]") {
  CHECK(boolean("True || False && False"));  // && binds tighter
  CHECK_FALSE(boolean("(True || False) && False"));
  CHECK(boolean(R"~("a" & "b" = "ab")~"));  // & before =
  CHECK(boolean(R"~(!"a" = "b")~"));        // ! over the comparison
  CHECK(boolean("!False && True"));
  CHECK(boolean("!!True"));
  CHECK_FALSE(boolean("IsPresent([missing]) && CNum(\"x\") = 1"));  // short-circuit
  CHECK(boolean("True || CNum(\"x\") = 1"));
}

TEST_CASE("IIF evaluates only the chosen branch", "[language][IIF]") {
  CHECK(str(R"~(IIF(IsPresent([givenName]), [givenName], CNum("boom")))~") == "John");
  CHECK(num(R"~(iif([missing] = "x", CNum("boom"), 7))~") == 7);
  CHECK(num("IIF(NULL, 1, 2)") == 2);  // NULL condition is False
  CHECK(eval_error(R"~(IIF("maybe", 1, 2))~") ==
        R"~(IIF at column 1: argument 1: expected True or False, found string "maybe")~");
}

TEST_CASE("special constants", "[language]") {
  MapContext ctx = person();
  CHECK(run("AuthoritativeNull", ctx).kind == Result::Kind::authoritative_null);
  CHECK(run("IgnoreThisFlow", ctx).kind == Result::Kind::ignore_this_flow);
  CHECK(run("NULL", ctx).kind == Result::Kind::null);
  CHECK(run("[missing]", ctx).kind == Result::Kind::null);
  Result r =
      run(R"~(IIF(IsPresent([missing]), [missing], IIF(True, AuthoritativeNull, "x")))~", ctx);
  CHECK(r.kind == Result::Kind::authoritative_null);
  CHECK(r.value.is_null());
  r = run(R"~(IIF(IsPresent([givenName]), ([givenName]), IgnoreThisFlow))~", ctx);
  CHECK(r.kind == Result::Kind::values);
  CHECK(r.value == Value::string("John"));
  CHECK(run("IIF(False, 1, IgnoreThisFlow)", ctx).kind == Result::Kind::ignore_this_flow);
  CHECK(parse_error(R"~(Trim(AuthoritativeNull))~") ==
        "column 6: AuthoritativeNull can only be the result of the expression or of an IIF "
        "branch, not an operand");
  CHECK(
      parse_error(R"~(IIF(IgnoreThisFlow, 1, 2))~").rfind("column 5: IgnoreThisFlow can only", 0) ==
      0);
  CHECK(parse_error(R"~("a" & IgnoreThisFlow)~").rfind("column 7: IgnoreThisFlow", 0) == 0);
}

TEST_CASE("parse errors name what was expected and found, with columns", "[language][errors]") {
  CHECK(parse_error(R"~(IIF([a],"b",1)~") ==
        R"~(column 14: expected ")" to close IIF( opened at column 1, found end of expression)~");
  CHECK(parse_error(R"~(IIF([a] "b", 1, 2))~") ==
        R"~(column 9: expected "," or ")" to close IIF( opened at column 1, found string "b")~");
  CHECK(parse_error(R"~(UCase(Trm([sn])))~") ==
        R"~(column 7: unknown function "Trm"; did you mean "Trim"?)~");
  CHECK(parse_error("Frobnicate([sn])") == R"~(column 1: unknown function "Frobnicate")~");
  CHECK(parse_error(R"~(Left("abc"))~") == "column 1: Left takes 2 arguments, found 1");
  CHECK(parse_error("Join()") == "column 1: Join takes 1 or 2 arguments, found 0");
  CHECK(parse_error(R"~(Split("a", ",", 1, 2))~") ==
        "column 1: Split takes 2 or 3 arguments, found 4");
  CHECK(parse_error("Coalesce()") == "column 1: Coalesce takes at least 1 argument, found 0");
  CHECK(
      parse_error(R"~("abc)~") ==
      R"~(column 5: expected "\"" to close the string opened at column 1, found end of expression)~");
  CHECK(
      parse_error("[sn") ==
      R"~(column 4: expected "]" to close the attribute name opened at column 1, found end of expression)~");
  CHECK(parse_error("[sn] # 1") == R"~(column 6: unexpected character "#")~");
  CHECK(parse_error("[sn] [gn]") ==
        "column 6: expected an operator or end of expression, found attribute [gn]");
  CHECK(parse_error("(1 & 2") ==
        R"~(column 7: expected ")" to close "(" opened at column 1, found end of expression)~");
  CHECK(parse_error("1 &") ==
        "column 4: expected a value, attribute or function call, found end of expression");
  CHECK(parse_error("sn") ==
        R"~(column 1: unknown name "sn"; attributes are written in brackets, e.g. [sn])~");
  CHECK(parse_error("Trim") == R"~(column 5: expected "(" after Trim, found end of expression)~");
  CHECK(parse_error("99999999999999999999") ==
        "column 1: number 99999999999999999999 is out of 64-bit range");
  CHECK(parse_error("[a] | [b]") ==
        R"~(column 5: unexpected "|"; the logical or operator is "||")~");
  CHECK(parse_error("$item") ==
        "column 1: unknown variable $item; a variable exists only in the function argument of the "
        "Select that names it");
  CHECK(
      parse_error(R"~(Contains([a], "x", Sometimes))~") ==
      R"~(column 20: expected one of CaseSensitive, CaseInsensitive as argument 3 of Contains, found "Sometimes")~");
  CHECK(parse_error("Select([a], [b], 1)") ==
        "column 8: expected an iteration variable such as $item as argument 1 of Select, found "
        "attribute [a]");
  try {
    Expression::compile("Left(");
    FAIL("no ParseError");
  } catch (const ParseError& e) {
    CHECK(e.column() == 6);
  }
}

TEST_CASE("registered functions", "[language][registry]") {
  FunctionRegistry reg;
  reg.add("NormalizePhone", 1, 1, [](std::span<const Value> args) {
    Value out;
    for (const Scalar& s : args[0]) {
      std::string digits;
      for (char c : s.bytes)
        if (c >= '0' && c <= '9') digits += c;
      out.push_back(Scalar::string(digits));
    }
    return out;
  });
  reg.add("Fails", 0, FunctionRegistry::kUnbounded,
          [](std::span<const Value>) -> Value { throw std::runtime_error("plugin said no"); });
  CHECK(eval("normalizephone([otherPhone])", &reg) == Value::strings({"5551234", "5559876"}));
  CHECK_NOTHROW(Expression::compile("Fails(1, 2, 3, 4, 5)", &reg));  // unbounded arity
  MapContext ctx = person();
  auto fails = Expression::compile("Trim(Fails())", &reg);
  CHECK_THROWS_WITH(fails.evaluate(ctx), "Fails at column 6: plugin said no");
  CHECK_THROWS_WITH(Expression::compile("NormalizePhone()", &reg),
                    "column 1: NormalizePhone takes 1 argument, found 0");
  CHECK_THROWS_WITH(
      Expression::compile("NormalisePhone([a])", &reg),
      "column 1: unknown function \"NormalisePhone\"; did you mean \"NormalizePhone\"?");
  CHECK_THROWS_AS(reg.add("trim", 1, 1, [](std::span<const Value>) { return Value{}; }),
                  std::invalid_argument);
  CHECK_THROWS_AS(reg.add("NULL", 1, 1, [](std::span<const Value>) { return Value{}; }),
                  std::invalid_argument);
  CHECK_THROWS_AS(reg.add("normalizePHONE", 1, 1, [](std::span<const Value>) { return Value{}; }),
                  std::invalid_argument);
  CHECK_THROWS_AS(reg.add("bad name", 1, 1, [](std::span<const Value>) { return Value{}; }),
                  std::invalid_argument);
  CHECK_THROWS_AS(reg.add("Backwards", 2, 1, [](std::span<const Value>) { return Value{}; }),
                  std::invalid_argument);
  // Without the registry the name is unknown.
  CHECK(parse_error("NormalizePhone([a])").rfind("column 1: unknown function", 0) == 0);
}

TEST_CASE("referenced_attributes", "[language]") {
  auto e = Expression::compile(
      R"~(IIF(IsPresent([displayName]), [DisplayName], [givenName] & " " & Select($v, [otherPhone], $v & [SN])))~");
  CHECK(e.referenced_attributes() ==
        std::vector<std::string>{"displayName", "givenName", "otherPhone", "SN"});
  CHECK(Expression::compile("1").referenced_attributes().empty());
}
