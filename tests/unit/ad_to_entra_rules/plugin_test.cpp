// The built plugin as the engine uses it: loaded by plugin_host::Registry from a trusted
// folder, its functions called from the expressions the rule files hold.
#include <stdlib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <set>
#include <string>
#include <system_error>

#include "expressions/expression.hpp"
#include "plugin_host/registry.hpp"
#include "rule_plugins/rule_plugins.hpp"

namespace ad_to_entra {
namespace {

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using idsync::expr::MapContext;
using idsync::expr::Value;

// A private temporary folder holding a copy of the built plugin, without group or other write
// access, as an admin installs it (the host refuses plugin files others may change).
class PluginDir {
 public:
  PluginDir() {
    std::string pattern = (fs::temp_directory_path() / "idsync-ad-to-entra-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path_ = pattern;
    const fs::path to = path_ / "ad-to-entra";
    fs::copy(fs::path(IDSYNC_AD_TO_ENTRA_RULES_DIR), to, fs::copy_options::recursive);
    for (const fs::path& p : {to, to / "plugin.json", to / "libidsync_ad_to_entra_rules.so"})
      fs::permissions(p, fs::perms::group_write | fs::perms::others_write,
                      fs::perm_options::remove);
  }
  ~PluginDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  PluginDir(const PluginDir&) = delete;
  PluginDir& operator=(const PluginDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

struct Loaded {
  idsync::plugin_host::Registry registry;
  idsync::expr::FunctionRegistry functions;
  idsync::rule_plugins::RulePlugins rules;

  explicit Loaded(const PluginDir& dir)
      : registry(idsync::plugin_host::Registry::discover({dir.path()})),
        rules(idsync::rule_plugins::RulePlugins::attach(registry, functions)) {
    REQUIRE(registry.refused().empty());
    REQUIRE(registry.rule_type("ad-to-entra.rules") != nullptr);
  }

  Value eval(std::string_view source, const MapContext& object = {}) const {
    const auto r = idsync::expr::Expression::compile(source, &functions).evaluate(object);
    REQUIRE((r.kind == idsync::expr::Result::Kind::values ||
             r.kind == idsync::expr::Result::Kind::null));
    return r.value;
  }

  std::string error(std::string_view source, const MapContext& object = {}) const {
    const auto e = idsync::expr::Expression::compile(source, &functions);
    try {
      e.evaluate(object);
    } catch (const idsync::expr::EvalError& error) {
      return error.what();
    }
    return "";
  }
};

// objectGUID as the LDAP connector imports it, and the same GUID's bytes.
constexpr const char* kGuidText = "4c045603-48d5-4264-94ac-f2db0ab2a15c";
const std::string kGuidBytes("\x03\x56\x04\x4c\xd5\x48\x64\x42\x94\xac\xf2\xdb\x0a\xb2\xa1\x5c",
                             16);
constexpr const char* kImmutableId = "A1YETNVIZEKUrPLbCrKhXA==";
// The rules' source anchor expression: the consistency GUID wins over objectGUID.
constexpr const char* kSourceAnchor =
    "ImmutableId(Coalesce([mS-DS-ConsistencyGuid], [objectGUID]))";

TEST_CASE("the plugin registers its functions with their docs") {
  const PluginDir dir;
  const Loaded l(dir);
  CHECK(l.rules.problems().empty());
  CHECK(l.functions.names() == std::vector<std::string>{"ImmutableId", "GuidToBinary",
                                                        "RandomPassword", "CloudMailNickname"});
  for (const auto& f : l.rules.functions()) {
    CHECK(f->plugin == "ad-to-entra-rules");
    CHECK(f->rule_type == "ad-to-entra.rules");
    CHECK_FALSE(f->doc.empty());
  }
  CHECK(l.rules.transforms().empty());
}

TEST_CASE("ImmutableId from objectGUID's text and from a binary consistency GUID") {
  const PluginDir dir;
  const Loaded l(dir);
  MapContext user;
  user.set("objectGUID", Value::string(kGuidText));
  CHECK(l.eval(kSourceAnchor, user) == Value::string(kImmutableId));
  // A consistency GUID (here another object's, as after a move between forests) wins.
  user.set("mS-DS-ConsistencyGuid",
           Value::binary(std::string(
               "\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\xcc\xdd\xee\xff", 16)));
  CHECK(l.eval(kSourceAnchor, user) == Value::string("ABEiM0RVZneImaq7zN3u/w=="));
  CHECK(l.eval("ImmutableId([bytes])", [] {
    MapContext m;
    m.set("bytes", Value::binary(kGuidBytes));
    return m;
  }()) == Value::string(kImmutableId));
}

TEST_CASE("GuidToBinary gives the bytes AD stores, as a binary value") {
  const PluginDir dir;
  const Loaded l(dir);
  CHECK(l.eval(std::string("GuidToBinary(\"") + kGuidText + "\")") == Value::binary(kGuidBytes));
  // The built-in StringFromGuid reads them back to the same text, and ConvertToBase64 of them is
  // the immutable ID: the two functions agree with the language's own GUID handling.
  CHECK(l.eval(std::string("StringFromGuid(GuidToBinary(\"") + kGuidText + "\"))") ==
        Value::string(kGuidText));
  CHECK(l.eval(std::string("ConvertToBase64(GuidToBinary(\"") + kGuidText + "\"))") ==
        Value::string(kImmutableId));
}

TEST_CASE("GUID functions: NULL stays NULL, other values are errors") {
  const PluginDir dir;
  const Loaded l(dir);
  const MapContext nobody;
  CHECK(l.eval(kSourceAnchor, nobody).is_null());
  CHECK(l.eval("GuidToBinary([objectGUID])", nobody).is_null());
  CHECK_THAT(l.error("ImmutableId(\"not-a-guid\")"), Contains("\"not-a-guid\" is not a GUID"));
  MapContext odd;
  odd.set("bytes", Value::binary("\x01\x02\x03"));
  odd.set("two", Value::strings({kGuidText, kGuidText}));
  CHECK_THAT(l.error("ImmutableId([bytes])", odd), Contains("a binary GUID is 16 bytes, got 3"));
  CHECK_THAT(l.error("GuidToBinary([two])", odd), Contains("must be single-valued"));
  CHECK_THAT(l.error("ImmutableId(42)"), Contains("expected a GUID"));
}

TEST_CASE("RandomPassword: a new strong password on every call") {
  const PluginDir dir;
  const Loaded l(dir);
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    const Value v = l.eval("RandomPassword()");
    REQUIRE(v.size() == 1);
    CHECK(v[0].bytes.size() == 32);
    seen.insert(v[0].bytes);
  }
  CHECK(seen.size() == 50);
  CHECK(l.eval("RandomPassword(20)")[0].bytes.size() == 20);
  CHECK(l.eval("RandomPassword(NULL)")[0].bytes.size() == 32);
  CHECK_THAT(l.error("RandomPassword(8)"), Contains("a password length must be 16 to 256, got 8"));
  CHECK_THAT(l.error("RandomPassword(\"long\")"), Contains("expected a number, got \"long\""));
}

TEST_CASE("CloudMailNickname as the rules call it") {
  const PluginDir dir;
  const Loaded l(dir);
  MapContext group;
  group.set("sAMAccountName", Value::string("Sales Team (EMEA)"));
  const char* nickname = "CloudMailNickname(Coalesce([mailNickname], [sAMAccountName]))";
  CHECK(l.eval(nickname, group) == Value::string("SalesTeamEMEA"));
  group.set("mailNickname", Value::string("sales"));
  CHECK(l.eval(nickname, group) == Value::string("sales"));
  CHECK(l.eval(nickname, MapContext{}).is_null());
  CHECK(l.eval("CloudMailNickname(\" @ \")").is_null());
}

}  // namespace
}  // namespace ad_to_entra
