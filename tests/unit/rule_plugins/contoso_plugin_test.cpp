// The sample rule plugin as the engine uses it: loaded by plugin_host::Registry from its build
// folder, its functions called from expressions, its transform through the C++ wrapper.
#include "support.hpp"

namespace idsync::rule_plugins::test {
namespace {

using Catch::Matchers::Contains;
using expr::MapContext;
using expr::Value;

Loaded load_contoso(const TempDir& tmp) {
  copy_contoso(tmp.path());
  Loaded loaded(Registry::discover({tmp.path()}));
  REQUIRE(loaded.registry.refused().empty());
  REQUIRE(loaded.registry.rule_type("contoso.rules") != nullptr);
  return loaded;
}

TEST_CASE("contoso plugin: its functions are registered with their docs") {
  TempDir tmp;
  const Loaded l = load_contoso(tmp);
  CHECK(l.rules.problems().empty());
  CHECK(l.functions.names() ==
        std::vector<std::string>{"NormalizePhone", "RemoveDiacritics", "MailNickname"});
  REQUIRE(l.rules.functions().size() == 3);
  const PluginFunction& phone = *l.rules.functions()[0];
  CHECK(phone.plugin == "contoso-rules");
  CHECK(phone.rule_type == "contoso.rules");
  CHECK(phone.min_args == 1);
  CHECK(phone.max_args == 2);
  CHECK_THAT(phone.doc, Contains("E.164"));
  for (const auto& f : l.rules.functions()) CHECK_FALSE(f->doc.empty());
  REQUIRE(l.rules.transforms().size() == 1);
  CHECK(l.rules.transforms()[0].name() == "DeriveMailNickname");
  CHECK_THAT(l.rules.transforms()[0].doc(), Contains("mailNickname"));
}

TEST_CASE("contoso plugin: NormalizePhone from an expression") {
  TempDir tmp;
  const Loaded l = load_contoso(tmp);
  MapContext user;
  user.set("telephoneNumber", Value::string("(425) 555-0100"));
  CHECK(eval(l.functions, R"(NormalizePhone([telephoneNumber], "1"))", user) ==
        Value::string("+14255550100"));
  // Calls match case-insensitively, like the built-ins; the default country is optional.
  CHECK(eval(l.functions, R"(normalizephone("+44 20 7946 0958"))") ==
        Value::string("+442079460958"));
  // Composes with built-ins both ways.
  CHECK(eval(l.functions, R"(Right(NormalizePhone(Trim(" 425 555 0100 "), "1"), 4))") ==
        Value::string("0100"));
}

TEST_CASE("contoso plugin: NULL in, NULL out") {
  TempDir tmp;
  const Loaded l = load_contoso(tmp);
  const MapContext nobody;
  CHECK(eval(l.functions, R"(NormalizePhone([telephoneNumber], "1"))", nobody).is_null());
  CHECK(eval(l.functions, "RemoveDiacritics(NULL)").is_null());
  CHECK(eval(l.functions, "MailNickname([givenName], [sn])", nobody).is_null());
  // A NULL default country code is no default: international numbers still work.
  CHECK(eval(l.functions, R"(NormalizePhone("+1 425 555 0100", [countryCode]))", nobody) ==
        Value::string("+14255550100"));
  // NULL lets the next rule contribute: the result kind is null, not an empty string.
  const auto r =
      expr::Expression::compile(R"(NormalizePhone([mobile], "1"))", &l.functions).evaluate(nobody);
  CHECK(r.kind == expr::Result::Kind::null);
}

TEST_CASE("contoso plugin: multi-valued arguments") {
  TempDir tmp;
  const Loaded l = load_contoso(tmp);
  MapContext user;
  user.set("otherTelephone", Value::strings({"425 555 0100", "+44 20 7946 0958", " "}));
  user.set("names", Value::strings({"Zoë", "Ørsted"}));
  CHECK(eval(l.functions, R"(NormalizePhone([otherTelephone], "1"))", user) ==
        Value::strings({"+14255550100", "+442079460958"}));
  CHECK(eval(l.functions, "RemoveDiacritics([names])", user) == Value::strings({"Zoe", "Orsted"}));
  CHECK(eval(l.functions, "Count(NormalizePhone([otherTelephone], \"1\"))", user) ==
        Value::integer(2));
}

TEST_CASE("contoso plugin: non-string arguments arrive in their ABI text form") {
  TempDir tmp;
  const Loaded l = load_contoso(tmp);
  CHECK(eval(l.functions, "RemoveDiacritics(42)") == Value::string("42"));
  CHECK(eval(l.functions, "RemoveDiacritics(True)") == Value::string("true"));
  CHECK(eval(l.functions, "MailNickname(\"Agent\", 7)") == Value::string("agent.7"));
}

TEST_CASE("contoso plugin: its errors reach the admin with the plugin's message") {
  TempDir tmp;
  const Loaded l = load_contoso(tmp);
  MapContext user;
  user.set("telephoneNumber", Value::string("n/a"));
  user.set("countries", Value::strings({"1", "44"}));
  CHECK(eval_error(l.functions, R"(NormalizePhone([telephoneNumber], "1"))", user) ==
        "NormalizePhone at column 1: plugin 'contoso-rules': phone number \"n/a\" contains "
        "letters");
  CHECK(eval_error(l.functions, R"(IIF(True, NormalizePhone("020 7946 0958"), ""))") ==
        "NormalizePhone at column 11: plugin 'contoso-rules': phone number \"020 7946 0958\" has "
        "no country code and no default country code was given");
  CHECK(eval_error(l.functions, R"(NormalizePhone("425 555 0100", [countries]))", user) ==
        "NormalizePhone at column 1: plugin 'contoso-rules': NormalizePhone argument 2 "
        "(default_country_code) must be single-valued, got 2 values");
  CHECK(eval_error(l.functions, "RemoveDiacritics(\"caf\xC3\")") ==
        "RemoveDiacritics at column 1: plugin 'contoso-rules': text is not valid UTF-8 (byte 4)");
  // Arity is checked when the expression is compiled, from the plugin's min/max.
  CHECK_THROWS_AS(expr::Expression::compile("NormalizePhone()", &l.functions), expr::ParseError);
  CHECK_THROWS_AS(expr::Expression::compile(R"(NormalizePhone("1", "2", "3"))", &l.functions),
                  expr::ParseError);
}

TEST_CASE("contoso plugin: DeriveMailNickname transform") {
  TempDir tmp;
  const Loaded l = load_contoso(tmp);
  const Transform* t = l.rules.transform("derivemailnickname");
  REQUIRE(t != nullptr);
  CHECK(t->plugin() == "contoso-rules");
  CHECK(t->rule_type() == "contoso.rules");
  CHECK(l.rules.transform("NoSuchTransform") == nullptr);

  const TransformAttributes out = t->apply("user", {{"GivenName", Value::string("José")},
                                                    {"sn", Value::string("García Márquez")},
                                                    {"department", Value::string("Sales")}});
  CHECK(out == TransformAttributes{{"mailNickname", Value::string("jose.garciamarquez")}});

  // Absent (NULL) attributes are not passed; with no usable name nothing is set.
  CHECK(t->apply("user", {{"givenName", Value::null()}, {"sn", Value::string("Smith")}}) ==
        TransformAttributes{{"mailNickname", Value::string("smith")}});
  CHECK(t->apply("user", {{"givenName", Value::string("李")}}).empty());
  CHECK(t->apply("user", {}).empty());

  CHECK_THROWS_WITH(t->apply("user", {{"givenName", Value::strings({"Ann", "Anna"})}}),
                    "transform 'DeriveMailNickname' of plugin 'contoso-rules': givenName must be "
                    "single-valued, got 2 values");
}

}  // namespace
}  // namespace idsync::rule_plugins::test
