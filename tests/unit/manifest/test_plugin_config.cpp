// Checking connector config against plugin-declared fields (resolve_config).
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>
#include <cstddef>
#include <memory>

#include "manifest/plugin_config.hpp"
#include "support.hpp"

using namespace idsync::manifest;
using idsync::manifest::test::render;
using idsync::manifest::test::ScopedEnv;
using idsync::manifest::test::TempDir;
using Lines = std::vector<std::string>;

namespace {

const char* const kFormats[] = {"csv", "ldif", "jsonl", nullptr};

idsync_config_field field(const char* name, idsync_config_type type, uint32_t flags = 0,
                          const char* default_value = nullptr, const char* doc = "",
                          int64_t min = 0, int64_t max = 0, const char* const* allowed = nullptr) {
  return idsync_config_field{
      sizeof(idsync_config_field), name, type, flags, default_value, doc, min, max, allowed};
}

// A plugin's declaration: the fields and the pointer array the ABI hands over.
struct Declared {
  explicit Declared(std::vector<idsync_config_field> f) : fields(std::move(f)) {
    for (auto& x : fields) pointers.push_back(&x);
  }
  std::vector<idsync_config_field> fields;
  std::vector<const idsync_config_field*> pointers;
};

// The fields of a CSV-like connector type.
Declared file_fields() {
  return Declared({
      field("path", IDSYNC_CONFIG_PATH, IDSYNC_CONFIG_REQUIRED, nullptr, "The CSV file to read."),
      field("format", IDSYNC_CONFIG_STRING, 0, "\"csv\"", "", 0, 0, kFormats),
      field("port", IDSYNC_CONFIG_INTEGER, 0, "389", "", 1, 65535),
      field("anchor_column", IDSYNC_CONFIG_STRING, IDSYNC_CONFIG_REQUIRED, nullptr,
            "Column that holds each row's anchor"),
      field("delimiter", IDSYNC_CONFIG_STRING, 0, "\",\""),
      field("include_disabled", IDSYNC_CONFIG_BOOLEAN, 0, "false"),
      field("attributes", IDSYNC_CONFIG_STRING_LIST),
      field("retries", IDSYNC_CONFIG_INTEGER),
      field("password", IDSYNC_CONFIG_STRING, IDSYNC_CONFIG_SECRET),
      field("note", IDSYNC_CONFIG_STRING),
  });
}

ConnectorDecl connector(std::string_view config_json,
                        const std::filesystem::path& base_dir = "/srv/idsync") {
  ConnectorDecl c;
  c.name = "HR";
  c.type = "file";
  c.json_path = "connectors[1]";
  c.base_dir = base_dir;
  c.config = boost::json::parse(config_json).as_object();
  return c;
}

struct Result {
  ResolvedConfig config;
  Lines problems;
};

Result resolve(const Declared& d, std::string_view config_json,
               const std::filesystem::path& base_dir = "/srv/idsync") {
  std::vector<Diagnostic> problems;
  Result r{resolve_config(connector(config_json, base_dir), d.pointers.data(), d.pointers.size(),
                          problems),
           {}};
  r.problems = render(problems);
  return r;
}

std::string_view view(idsync_str s) { return {s.ptr, s.len}; }

std::vector<std::string> names_of(const ResolvedConfig& c) {
  std::vector<std::string> out;
  for (const auto& v : c.values()) out.emplace_back(view(v.name));
  return out;
}

}  // namespace

TEST_CASE("a valid config gives one value per declared field, in declared order",
          "[plugin_config]") {
  ScopedEnv env("IDSYNC_TEST_PC_PW", "pc-secret");
  const Declared d = file_fields();
  const auto r = resolve(d, R"({"anchor_column": "employeeId", "path": "data/../data/hr.csv",
      "port": 636, "attributes": ["mail", "sn"], "retries": -3, "include_disabled": true,
      "password": {"env": "IDSYNC_TEST_PC_PW"}})");
  REQUIRE(r.problems.empty());
  const ResolvedConfig& c = r.config;
  CHECK(names_of(c) == Lines{"path", "format", "port", "anchor_column", "delimiter",
                             "include_disabled", "attributes", "retries", "password", "note"});
  for (const auto& v : c.values()) CHECK(v.struct_size == sizeof(idsync_config_value));

  const auto& v = c.values();
  CHECK(v[0].type == IDSYNC_CONFIG_PATH);
  CHECK(v[0].is_set == 1);
  CHECK(view(v[0].text) == "/srv/idsync/data/hr.csv");  // absolute against the manifest folder
  CHECK(view(v[1].text) == "csv");                      // default
  CHECK(v[1].is_set == 1);
  CHECK(v[2].integer == 636);
  CHECK(view(v[3].text) == "employeeId");
  CHECK(view(v[4].text) == ",");  // default
  CHECK(v[5].integer == 1);       // BOOLEAN as 0/1
  REQUIRE(v[6].item_count == 2);
  CHECK(view(v[6].items[0]) == "mail");
  CHECK(view(v[6].items[1]) == "sn");
  CHECK(v[7].integer == -3);
  CHECK(view(v[8].text) == "pc-secret");
  CHECK(v[9].is_set == 0);  // optional, absent, no default
  CHECK(v[9].text.len == 0);

  CHECK(c.text("path") == "/srv/idsync/data/hr.csv");
  CHECK(c.integer("port") == 636);
  CHECK(c.boolean("include_disabled") == true);
  CHECK(c.list("attributes") == std::vector<std::string_view>{"mail", "sn"});
  CHECK(c.is_set("format"));
  CHECK_FALSE(c.is_set("note"));
  CHECK_FALSE(c.text("note").has_value());
  CHECK_FALSE(c.text("port").has_value());  // not a text field
  CHECK(c.is_secret("password"));
  CHECK_FALSE(c.is_secret("path"));
  CHECK(c.find("nope") == nullptr);
  CHECK(c.find("retries") == &c.values()[7]);
}

TEST_CASE("defaults apply only to absent fields", "[plugin_config][defaults]") {
  const Declared d = file_fields();
  const auto r = resolve(d, R"({"path": "/data/hr.csv", "anchor_column": "id", "format": "ldif",
      "port": 1, "delimiter": ";", "include_disabled": false})");
  REQUIRE(r.problems.empty());
  CHECK(r.config.text("path") == "/data/hr.csv");
  CHECK(r.config.text("format") == "ldif");
  CHECK(r.config.integer("port") == 1);
  CHECK(r.config.text("delimiter") == ";");
  CHECK(r.config.boolean("include_disabled") == false);
  CHECK(r.config.is_set("include_disabled"));
  const auto defaults = resolve(d, R"({"path": "p", "anchor_column": "id"})");
  REQUIRE(defaults.problems.empty());
  CHECK(defaults.config.text("format") == "csv");
  CHECK(defaults.config.integer("port") == 389);
  CHECK(defaults.config.text("delimiter") == ",");
  CHECK(defaults.config.boolean("include_disabled") == false);
  CHECK_FALSE(defaults.config.is_set("attributes"));
  CHECK(defaults.config.list("attributes").empty());
}

TEST_CASE("every config problem is reported with its path", "[plugin_config][errors]") {
  const Declared d = file_fields();
  CHECK(
      resolve(d, R"({"path": 5, "format": "CSV", "port": 70000, "include_disabled": "yes",
      "attributes": ["a", 1, null], "retries": "3", "anchr_column": "x", "delimter": ";",
      "zzz": 1})")
          .problems ==
      Lines{
          R"(connectors[1].config.anchr_column: unknown key; did you mean "anchor_column"?)",
          R"(connectors[1].config.delimter: unknown key; did you mean "delimiter"?)",
          "connectors[1].config.zzz: unknown key",
          "connectors[1].config.path: expected a string, found a number",
          R"(connectors[1].config.format: expected one of "csv", "ldif", "jsonl"; did you mean "csv"?)",
          "connectors[1].config.port: expected an integer 1..65535",
          "connectors[1].config.anchor_column: required key is missing (Column that holds each "
          "row's anchor)",
          "connectors[1].config.include_disabled: expected a boolean, found a string",
          "connectors[1].config.attributes[1]: expected a string, found a number",
          "connectors[1].config.attributes[2]: expected a string, found null",
          "connectors[1].config.retries: expected an integer, found a string",
      });
}

TEST_CASE("config type checks, one by one", "[plugin_config][errors]") {
  const Declared d = file_fields();
  auto problems = [&](std::string_view extra) {
    return resolve(d, R"({"path": "p", "anchor_column": "id", )" + std::string(extra) + "}")
        .problems;
  };
  CHECK(problems(R"("format": "xml")") ==
        Lines{R"(connectors[1].config.format: expected one of "csv", "ldif", "jsonl")"});
  CHECK(
      problems(R"("format": 1)") ==
      Lines{
          R"(connectors[1].config.format: expected one of "csv", "ldif", "jsonl", found a number)"});
  CHECK(problems(R"("port": "abc")") ==
        Lines{"connectors[1].config.port: expected an integer 1..65535, found a string"});
  CHECK(problems(R"("port": 0)") ==
        Lines{"connectors[1].config.port: expected an integer 1..65535"});
  CHECK(
      problems(R"("port": 80.5)") ==
      Lines{"connectors[1].config.port: expected an integer 1..65535, found a fractional number"});
  CHECK(problems(R"("port": 18446744073709551615)") ==
        Lines{"connectors[1].config.port: expected an integer 1..65535"});
  CHECK(problems(R"("retries": 18446744073709551615)") ==
        Lines{"connectors[1].config.retries: expected an integer that fits in 64 bits"});
  CHECK(problems(R"("port": 65535, "retries": 8080.0)").empty());
  CHECK(problems(R"("attributes": "mail")") ==
        Lines{"connectors[1].config.attributes: expected an array of strings, found a string"});
  CHECK(problems(R"("attributes": [])").empty());
  CHECK(problems(R"("delimiter": null)") ==
        Lines{"connectors[1].config.delimiter: expected a string, found null"});
  CHECK(resolve(d, R"({"path": "", "anchor_column": "id"})").problems ==
        Lines{"connectors[1].config.path: must not be empty"});
  CHECK(resolve(d, R"({"path": ["a"], "anchor_column": {}})").problems ==
        Lines{"connectors[1].config.path: expected a string, found an array",
              "connectors[1].config.anchor_column: expected a string, found an object"});
}

TEST_CASE("config problems read as the spec shows them in what()", "[plugin_config][errors]") {
  const Declared d = file_fields();
  std::vector<Diagnostic> problems;
  resolve_config(connector(R"({"path": "p", "anchor_column": "id", "port": 70000})"),
                 d.pointers.data(), d.pointers.size(), problems);
  const ManifestError e("/etc/idsync/manifest.json", problems);
  CHECK(std::string(e.what()) ==
        "/etc/idsync/manifest.json: connectors[1].config.port: expected an integer 1..65535");
}

TEST_CASE("secret config fields come from env and file", "[plugin_config][secrets]") {
  TempDir dir;
  dir.write("secrets/hr.pw", "from-file\n");
  const Declared d = file_fields();
  {
    ScopedEnv env("IDSYNC_TEST_PC_ENV", "from-env");
    const auto r = resolve(d, R"({"path": "p", "anchor_column": "id",
        "password": {"env": "IDSYNC_TEST_PC_ENV"}})");
    REQUIRE(r.problems.empty());
    CHECK(r.config.text("password") == "from-env");
  }
  const auto r = resolve(d, R"({"path": "p", "anchor_column": "id",
      "password": {"file": "secrets/hr.pw"}})",
                         dir.path());
  REQUIRE(r.problems.empty());
  CHECK(r.config.text("password") == "from-file");
  CHECK(r.config.text("path") == (dir.path() / "p").string());
}

TEST_CASE("secret values never appear in messages", "[plugin_config][secrets]") {
  TempDir dir;
  const std::string secret = "Sup3r-Secret-Value";
  auto never_leaks = [&](const Lines& problems, const std::string& what) {
    for (const auto& p : problems) {
      CHECK(p.find(secret) == std::string::npos);
      CHECK(p.find("Sup3r") == std::string::npos);
    }
    CHECK(what.find(secret) == std::string::npos);
    CHECK(what.find("Sup3r") == std::string::npos);
  };
  auto what_of = [](const Lines& problems) {
    std::vector<Diagnostic> d;
    for (const auto& p : problems) d.push_back({"", p});
    return std::string(ManifestError("m.json", d).what());
  };

  SECTION("world-readable secret file") {
    const auto file = dir.write("pw", secret + "\n", 0644);
    const Declared d = file_fields();
    const auto r = resolve(d, R"({"path": "p", "anchor_column": "id", "password": {"file": "pw"}})",
                           dir.path());
    CHECK(r.problems == Lines{"connectors[1].config.password: secret file \"" + file.string() +
                              "\" is readable by other users (mode 0644); run chmod 600 on it"});
    never_leaks(r.problems, what_of(r.problems));
    CHECK_FALSE(r.config.is_set("password"));
  }
  SECTION("inline secret") {
    const Declared d = file_fields();
    const auto r =
        resolve(d, R"({"path": "p", "anchor_column": "id", "password": ")" + secret + "\"}");
    CHECK(
        r.problems ==
        Lines{
            R"(connectors[1].config.password: must be a reference {"env": ...} or {"file": ...}, not inline text)"});
    never_leaks(r.problems, what_of(r.problems));
  }
  SECTION("a secret that fails the field's checks") {
    const char* const modes[] = {"Sup3r-Secret-Valu", "other", nullptr};
    const Declared d({
        field("mode", IDSYNC_CONFIG_STRING, IDSYNC_CONFIG_SECRET, nullptr, "", 0, 0, modes),
        field("pin", IDSYNC_CONFIG_INTEGER, IDSYNC_CONFIG_SECRET, nullptr, "", 1, 9999),
        field("flag", IDSYNC_CONFIG_BOOLEAN, IDSYNC_CONFIG_SECRET),
    });
    ScopedEnv env("IDSYNC_TEST_PC_LEAK", secret);
    const auto r = resolve(d, R"({"mode": {"env": "IDSYNC_TEST_PC_LEAK"},
        "pin": {"env": "IDSYNC_TEST_PC_LEAK"}, "flag": {"env": "IDSYNC_TEST_PC_LEAK"}})");
    // One edit from an allowed value, yet no did-you-mean: it would give the secret away.
    CHECK(r.problems ==
          Lines{
              R"(connectors[1].config.mode: expected one of "Sup3r-Secret-Valu", "other")",
              "connectors[1].config.pin: expected an integer 1..9999 in the secret",
              "connectors[1].config.flag: expected true or false in the secret",
          });
    for (const auto& p : r.problems) CHECK(p.find("did you mean") == std::string::npos);
    // The allowed list itself is the plugin's, not the secret; only the secret must not show.
    for (const auto& p : r.problems) CHECK(p.find(secret + "\"") == std::string::npos);
  }
}

TEST_CASE("secret text is read as the field's type", "[plugin_config][secrets]") {
  const Declared d({
      field("pin", IDSYNC_CONFIG_INTEGER, IDSYNC_CONFIG_SECRET, nullptr, "", 1, 9999),
      field("flag", IDSYNC_CONFIG_BOOLEAN, IDSYNC_CONFIG_SECRET),
      field("keys", IDSYNC_CONFIG_STRING_LIST, IDSYNC_CONFIG_SECRET),
      field("token", IDSYNC_CONFIG_STRING, IDSYNC_CONFIG_SECRET | IDSYNC_CONFIG_REQUIRED,
            R"({"env": "IDSYNC_TEST_PC_DEFAULT"})"),
  });
  ScopedEnv pin("IDSYNC_TEST_PC_PIN", "1234");
  ScopedEnv flag("IDSYNC_TEST_PC_FLAG", "true");
  ScopedEnv token("IDSYNC_TEST_PC_DEFAULT", "default-token");
  const auto r = resolve(d, R"({"pin": {"env": "IDSYNC_TEST_PC_PIN"},
      "flag": {"env": "IDSYNC_TEST_PC_FLAG"}, "keys": {"env": "IDSYNC_TEST_PC_FLAG"}})");
  REQUIRE(r.problems.empty());
  CHECK(r.config.integer("pin") == 1234);
  CHECK(r.config.boolean("flag") == true);
  CHECK(r.config.list("keys") == std::vector<std::string_view>{"true"});
  // A plugin may default a secret to a reference.
  CHECK(r.config.text("token") == "default-token");
}

TEST_CASE("an unresolvable default reference is the admin's to fix", "[plugin_config][secrets]") {
  const Declared d({field("token", IDSYNC_CONFIG_STRING, IDSYNC_CONFIG_SECRET,
                          R"({"env": "IDSYNC_TEST_PC_NOT_SET"})")});
  ScopedEnv unset("IDSYNC_TEST_PC_NOT_SET", std::nullopt);
  CHECK(
      resolve(d, "{}").problems ==
      Lines{
          R"(connectors[1].config.token: environment variable "IDSYNC_TEST_PC_NOT_SET" is not set)"});
}

TEST_CASE("mistakes in the plugin's declarations are reported against the type",
          "[plugin_config][errors]") {
  const char* const kSmall[] = {"a", nullptr};
  std::vector<idsync_config_field> f = {
      field(nullptr, IDSYNC_CONFIG_STRING),
      field("a", IDSYNC_CONFIG_STRING),
      field("a", IDSYNC_CONFIG_INTEGER),
      field("b", 9),
      field("c", IDSYNC_CONFIG_INTEGER, 0, "not json"),
      field("d", IDSYNC_CONFIG_INTEGER, 0, "50", "", 1, 10),
      field("e", IDSYNC_CONFIG_STRING, IDSYNC_CONFIG_SECRET, "\"inline\""),
      field("f", IDSYNC_CONFIG_STRING, 0, "\"b\"", "", 0, 0, kSmall),
  };
  std::vector<const idsync_config_field*> p = {nullptr};
  for (auto& x : f) p.push_back(&x);
  std::vector<Diagnostic> problems;
  const ResolvedConfig c = resolve_config(connector("{}"), p.data(), p.size(), problems);
  const std::string t = R"(connectors[1].type: connector type "file" declares )";
  CHECK(
      render(problems) ==
      Lines{
          t + "config field [0] as a null pointer",
          t + "config field [1] without a name",
          t + R"(config field "a" twice)",
          t + R"(config field "b" with unknown type 9)",
          t + R"(config field "c" with a default that is not JSON)",
          t + R"(config field "d" with an invalid default: expected an integer 1..10)",
          t + R"(config field "e" with an invalid default: must be a reference {"env": ...} or {"file": ...}, not inline text)",
          t + R"(config field "f" with an invalid default: expected one of "a")",
      });
  // Still one value per declared field.
  REQUIRE(c.values().size() == p.size());
  for (const auto& v : c.values()) CHECK(v.is_set == 0);

  problems.clear();
  resolve_config(connector("{}"), nullptr, 3, problems);
  CHECK(render(problems) == Lines{t + "config fields as a null pointer"});
}

TEST_CASE("fields are read only within their struct_size", "[plugin_config][abi]") {
  const char* const kNone[] = {nullptr};
  // A struct that ends in the middle of default_value: that half pointer and everything after
  // it (doc, range, allowed list) must be ignored, not half-read.
  idsync_config_field old_style =
      field("level", IDSYNC_CONFIG_INTEGER, IDSYNC_CONFIG_REQUIRED, "5", "doc", 1, 3, kNone);
  old_style.struct_size = offsetof(idsync_config_field, default_value) + 4;
  // Ends in the middle of `flags`: only name and type are read, so it is not required.
  idsync_config_field tiny = field("tiny", IDSYNC_CONFIG_STRING, IDSYNC_CONFIG_REQUIRED);
  tiny.struct_size = offsetof(idsync_config_field, flags) + 2;
  // A newer plugin's larger struct: the known prefix is used, the tail ignored.
  struct Newer {
    idsync_config_field base;
    std::uint64_t added_in_a_later_minor;
  } newer{field("newer", IDSYNC_CONFIG_BOOLEAN, 0, "true"), 77};
  newer.base.struct_size = sizeof(Newer);

  std::vector<const idsync_config_field*> p = {&old_style, &tiny, &newer.base};
  {
    std::vector<Diagnostic> problems;
    const ResolvedConfig c =
        resolve_config(connector(R"({"level": 50})"), p.data(), p.size(), problems);
    CHECK(render(problems).empty());  // no range: 50 is fine
    CHECK(c.integer("level") == 50);
    CHECK_FALSE(c.is_set("tiny"));
    CHECK(c.boolean("newer") == true);
  }
  {
    std::vector<Diagnostic> problems;
    const ResolvedConfig c = resolve_config(connector("{}"), p.data(), p.size(), problems);
    // Required is within the old struct; its default "5" is not, so the field is missing.
    CHECK(render(problems) == Lines{"connectors[1].config.level: required key is missing"});
  }
}

TEST_CASE("ResolvedConfig views stay valid across copies and moves", "[plugin_config]") {
  const Declared d = file_fields();
  auto owner = std::make_unique<ResolvedConfig>(
      resolve(d, R"({"path": "p", "anchor_column": "a-rather-long-column-name-beyond-sso",
                     "attributes": ["x", "y"], "note": "n"})")
          .config);
  const ResolvedConfig copy = *owner;
  ResolvedConfig moved = std::move(*owner);
  owner.reset();  // the source of both is gone
  for (const ResolvedConfig* c : {&copy, const_cast<const ResolvedConfig*>(&moved)}) {
    REQUIRE(c->values().size() == 10);
    CHECK(view(c->values()[3].text) == "a-rather-long-column-name-beyond-sso");
    CHECK(view(c->values()[9].text) == "n");
    CHECK(view(c->values()[9].name) == "note");
    REQUIRE(c->values()[6].item_count == 2);
    CHECK(view(c->values()[6].items[1]) == "y");
  }
  // A copy has its own storage.
  CHECK(copy.values()[9].text.ptr != moved.values()[9].text.ptr);
  ResolvedConfig assigned;
  assigned = copy;
  CHECK(view(assigned.values()[9].text) == "n");
  CHECK(assigned.values()[9].text.ptr != copy.values()[9].text.ptr);
}

TEST_CASE("redacted() shows settings without secrets", "[plugin_config][secrets]") {
  ScopedEnv env("IDSYNC_TEST_PC_REDACT", "redact-me");
  const Declared d = file_fields();
  const auto r = resolve(d, R"({"path": "p", "anchor_column": "id", "attributes": ["a"],
      "password": {"env": "IDSYNC_TEST_PC_REDACT"}})");
  REQUIRE(r.problems.empty());
  const boost::json::object o = r.config.redacted();
  CHECK(o.at("password").as_string() == "<secret>");
  CHECK(o.at("path").as_string() == "/srv/idsync/p");
  CHECK(o.at("port").as_int64() == 389);
  CHECK(o.at("include_disabled").as_bool() == false);
  CHECK(o.at("attributes").as_array().size() == 1);
  CHECK_FALSE(o.contains("note"));
  CHECK(boost::json::serialize(o).find("redact-me") == std::string::npos);
}

TEST_CASE("a connector type without fields refuses every key", "[plugin_config][errors]") {
  std::vector<Diagnostic> problems;
  const ResolvedConfig c = resolve_config(connector(R"({"path": "x"})"), nullptr, 0, problems);
  CHECK(render(problems) == Lines{"connectors[1].config.path: unknown key"});
  CHECK(c.values().empty());
}
