// Secret references: {"env": NAME} and {"file": PATH}.
#include <sys/stat.h>

#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include "manifest/secrets.hpp"
#include "support.hpp"

using namespace idsync::manifest;
using idsync::manifest::test::render;
using idsync::manifest::test::ScopedEnv;
using idsync::manifest::test::TempDir;
using Lines = std::vector<std::string>;

namespace {

const std::string kPath = "connectors[0].config.password";

struct Outcome {
  std::optional<std::string> secret;
  Lines problems;
};

// Parses `reference_json` and resolves it against `base_dir`.
Outcome resolve(std::string_view reference_json, const std::filesystem::path& base_dir = "/") {
  std::vector<Diagnostic> problems;
  Outcome out;
  if (auto ref = parse_secret_ref(boost::json::parse(reference_json), kPath, problems))
    out.secret = read_secret(*ref, base_dir, kPath, problems);
  out.problems = render(problems);
  return out;
}

}  // namespace

TEST_CASE("a secret comes from an environment variable", "[secrets]") {
  ScopedEnv env("IDSYNC_TEST_SECRET_ENV", "s3cret value");
  const auto out = resolve(R"({"env": "IDSYNC_TEST_SECRET_ENV"})");
  CHECK(out.problems.empty());
  CHECK(out.secret == "s3cret value");
}

TEST_CASE("an unset or empty environment variable is an error", "[secrets]") {
  {
    ScopedEnv env("IDSYNC_TEST_SECRET_UNSET", std::nullopt);
    CHECK(resolve(R"({"env": "IDSYNC_TEST_SECRET_UNSET"})").problems ==
          Lines{kPath + R"(: environment variable "IDSYNC_TEST_SECRET_UNSET" is not set)"});
  }
  {
    ScopedEnv env("IDSYNC_TEST_SECRET_EMPTY", "");
    CHECK(resolve(R"({"env": "IDSYNC_TEST_SECRET_EMPTY"})").problems ==
          Lines{kPath + R"(: environment variable "IDSYNC_TEST_SECRET_EMPTY" is empty)"});
  }
}

TEST_CASE("a secret comes from a file relative to the manifest's folder", "[secrets]") {
  TempDir dir;
  dir.write("secrets/lf", "pa$$word\n");
  dir.write("secrets/crlf", "pa$$word\r\n");
  dir.write("secrets/none", "pa$$word");
  dir.write("secrets/two", "pa$$word\n\n");
  dir.write("secrets/group", "group-ok\n", 0640);  // only "others" matter
  CHECK(resolve(R"({"file": "secrets/lf"})", dir.path()).secret == "pa$$word");
  CHECK(resolve(R"({"file": "secrets/crlf"})", dir.path()).secret == "pa$$word");
  CHECK(resolve(R"({"file": "secrets/none"})", dir.path()).secret == "pa$$word");
  // One line ending is stripped, not every one.
  CHECK(resolve(R"({"file": "secrets/two"})", dir.path()).secret == "pa$$word\n");
  CHECK(resolve(R"({"file": "secrets/group"})", dir.path()).secret == "group-ok");
  // An absolute path ignores the base folder.
  const std::string absolute = (dir.path() / "secrets/lf").string();
  CHECK(resolve(R"({"file": ")" + absolute + "\"}", "/nonexistent").secret == "pa$$word");
}

TEST_CASE("a secret file readable by others is refused without reading it", "[secrets]") {
  TempDir dir;
  const std::string content = "TopSecret-Value-42";
  const auto file = dir.write("pw", content + "\n", 0644);
  const auto out = resolve(R"({"file": "pw"})", dir.path());
  CHECK_FALSE(out.secret.has_value());
  REQUIRE(out.problems.size() == 1);
  CHECK(out.problems[0] == kPath + ": secret file \"" + file.string() +
                               "\" is readable by other users (mode 0644); run chmod 600 on it");
  CHECK(out.problems[0].find(content) == std::string::npos);
  CHECK(out.problems[0].find("TopSecret") == std::string::npos);
}

TEST_CASE("unusable secret files are reported by path", "[secrets]") {
  TempDir dir;
  const auto base = dir.path();
  SECTION("missing") {
    CHECK(resolve(R"({"file": "nope"})", base).problems ==
          Lines{kPath + ": secret file \"" + (base / "nope").string() +
                "\" cannot be opened: No such file or directory"});
  }
  SECTION("a directory") {
    std::filesystem::create_directory(base / "d");
    std::filesystem::permissions(base / "d", std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::replace);
    CHECK(resolve(R"({"file": "d"})", base).problems ==
          Lines{kPath + ": secret file \"" + (base / "d").string() + "\" is not a regular file"});
  }
  SECTION("a FIFO is refused without blocking") {
    REQUIRE(::mkfifo((base / "fifo").c_str(), 0600) == 0);
    CHECK(
        resolve(R"({"file": "fifo"})", base).problems ==
        Lines{kPath + ": secret file \"" + (base / "fifo").string() + "\" is not a regular file"});
  }
  SECTION("empty") {
    dir.write("empty", "\n");
    CHECK(resolve(R"({"file": "empty"})", base).problems ==
          Lines{kPath + ": secret file \"" + (base / "empty").string() + "\" is empty"});
  }
  SECTION("too large") {
    dir.write("big", std::string(1024 * 1024 + 1, 'x'));
    CHECK(resolve(R"({"file": "big"})", base).problems ==
          Lines{kPath + ": secret file \"" + (base / "big").string() +
                "\" is larger than 1 MiB; it must hold only the secret"});
  }
}

TEST_CASE("a secret must be given as a reference", "[secrets]") {
  const std::string shape = R"(must be a reference {"env": ...} or {"file": ...})";
  SECTION("inline text is refused and never repeated") {
    const auto out = resolve(R"("hunter2-inline")");
    CHECK(out.problems == Lines{kPath + ": " + shape + ", not inline text"});
    CHECK(out.problems[0].find("hunter2") == std::string::npos);
  }
  CHECK(resolve("42").problems == Lines{kPath + ": " + shape + ", found a number"});
  CHECK(resolve("null").problems == Lines{kPath + ": " + shape + ", found null"});
  CHECK(resolve("{}").problems == Lines{kPath + ": " + shape});
  CHECK(resolve(R"({"env": "A", "file": "b"})").problems ==
        Lines{kPath + R"(: give either "env" or "file", not both)"});
  // A misspelt key is reported once, with a hint, not also as "not a reference".
  CHECK(resolve(R"({"enb": "A"})").problems ==
        Lines{kPath + R"(.enb: unknown key; did you mean "env"?)"});
  CHECK(resolve(R"({"env": "A", "extra": 1})").problems == Lines{kPath + ".extra: unknown key"});
  CHECK(resolve(R"({"env": 5})").problems ==
        Lines{kPath + ".env: expected a string, found a number"});
  CHECK(resolve(R"({"file": ""})").problems == Lines{kPath + ".file: must not be empty"});
}
