// Expression values across the ABI: the encoding plugins see and the checks on what they return.
#include "rule_plugins/value_bridge.hpp"

#include <catch2/catch.hpp>

namespace idsync::rule_plugins {
namespace {

using expr::Scalar;
using expr::Value;

std::vector<std::string> texts(const AbiArgument& a) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < a.list()->value_count; ++i)
    out.emplace_back(reinterpret_cast<const char*>(a.list()->values[i].ptr),
                     a.list()->values[i].len);
  return out;
}

TEST_CASE("value bridge: arguments keep their type and use the ABI text encoding") {
  const Value null;
  const AbiArgument n(null);
  CHECK(n.list()->struct_size == sizeof(idsync_value_list));
  CHECK(n.list()->value_count == 0);
  CHECK(n.list()->type == IDSYNC_VALUE_STRING);

  const Value words = Value::strings({"a", "b"});
  const AbiArgument s(words);
  CHECK(s.list()->type == IDSYNC_VALUE_STRING);
  CHECK(texts(s) == std::vector<std::string>{"a", "b"});
  // Strings are borrowed, not copied.
  CHECK(reinterpret_cast<const char*>(s.list()->values[0].ptr) == words[0].bytes.data());

  const Value numbers(std::vector<Scalar>{Scalar::integer(-42), Scalar::integer(7)});
  const AbiArgument i(numbers);
  CHECK(i.list()->type == IDSYNC_VALUE_INTEGER);
  CHECK(texts(i) == std::vector<std::string>{"-42", "7"});

  const Value flag = Value::boolean(false);
  CHECK(AbiArgument(flag).list()->type == IDSYNC_VALUE_BOOLEAN);
  CHECK(texts(AbiArgument(flag)) == std::vector<std::string>{"false"});

  const Value when = Value::datetime(1769860800000000);  // 2026-01-31T12:00:00Z
  CHECK(AbiArgument(when).list()->type == IDSYNC_VALUE_DATETIME);
  CHECK(texts(AbiArgument(when)) == std::vector<std::string>{"2026-01-31T12:00:00Z"});
}

TEST_CASE("value bridge: a mixed-type argument travels as text, binary cannot mix") {
  const Value mixed(
      std::vector<Scalar>{Scalar::string("x"), Scalar::integer(3), Scalar::boolean(true)});
  const AbiArgument m(mixed);
  CHECK(m.list()->type == IDSYNC_VALUE_STRING);
  CHECK(texts(m) == std::vector<std::string>{"x", "3", "True"});

  const Value bad(std::vector<Scalar>{Scalar::string("x"), Scalar::binary("\x01")});
  CHECK_THROWS_AS(AbiArgument(bad), std::invalid_argument);
}

TEST_CASE("value bridge: moving an argument keeps its pointers valid") {
  const Value numbers(std::vector<Scalar>{Scalar::integer(1), Scalar::integer(22)});
  std::vector<AbiArgument> args;
  args.emplace_back(numbers);
  args.reserve(16);  // moves the element
  CHECK(texts(args[0]) == std::vector<std::string>{"1", "22"});
}

TEST_CASE("value bridge: returned values are checked against their type") {
  CHECK(decode(IDSYNC_VALUE_STRING, "é") == Scalar::string("é"));
  CHECK(decode(IDSYNC_VALUE_REFERENCE, "CN=a") == Scalar::reference("CN=a"));
  CHECK(decode(IDSYNC_VALUE_BINARY, std::string_view("\0\1", 2)) ==
        Scalar::binary(std::string("\0\1", 2)));
  CHECK(decode(IDSYNC_VALUE_INTEGER, "-9") == Scalar::integer(-9));
  CHECK(decode(IDSYNC_VALUE_BOOLEAN, "true") == Scalar::boolean(true));
  CHECK(decode(IDSYNC_VALUE_DATETIME, "2026-01-31T12:00:00Z") ==
        Scalar::datetime(1769860800000000));

  CHECK_THROWS_WITH(decode(IDSYNC_VALUE_INTEGER, "12a"),
                    "INTEGER \"12a\" is not a decimal 64-bit integer");
  CHECK_THROWS_WITH(decode(IDSYNC_VALUE_BOOLEAN, "True"),
                    "BOOLEAN \"True\" is neither \"true\" nor \"false\"");
  CHECK_THROWS_WITH(decode(IDSYNC_VALUE_DATETIME, "yesterday"),
                    "DATETIME \"yesterday\" is not RFC 3339");
  CHECK_THROWS_WITH(decode(99, "x"), "undefined value type 99");
  CHECK(encode(Scalar::boolean(true)) == "true");
}

}  // namespace
}  // namespace idsync::rule_plugins
