// Export: per-operation results, the file as the target system, atomic replacement.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "atomic_writer.hpp"
#include "support.hpp"

using namespace idsync::file;
using namespace filetest;
using Catch::Matchers::StartsWith;

namespace {

struct Setup {
  TempDir dir;
  std::string out;
  std::unique_ptr<FileConnector> connector;
  explicit Setup(const std::string& format,
                 std::vector<std::pair<std::string, std::string>> extra = {}) {
    make_dir(dir / "state");
    out = dir / ("out." + format);
    write_file(dir / "in.txt", "");
    ConfigBuilder b;
    b.set("path", dir / "in.txt").set("format", format).set("export_file", out);
    if (format == "csv")
      b.set("anchor_column", "id").set("dn_column", "dn");
    else
      b.set("anchor_attribute", format == "ldif" ? "entryUUID" : "id");
    for (const auto& [k, v] : extra) b.set(k, v);
    connector = b.create(dir / "state");
  }
};

OpSpec op(uint64_t id, idsync_export_kind kind, const std::string& anchor,
          std::vector<Attr> attrs = {}, const std::string& dn = "") {
  OpSpec o;
  o.id = id;
  o.kind = kind;
  o.anchor = anchor;
  o.attrs = std::move(attrs);
  o.dn = dn;
  return o;
}

Attr with(const std::string& name, idsync_attr_op op, std::vector<std::string> values,
          idsync_value_type type = IDSYNC_VALUE_STRING) {
  return Attr{name, type, op, std::move(values)};
}

ino_t inode_of(const std::string& path) {
  struct stat st {};
  ::stat(path.c_str(), &st);
  return st.st_ino;
}

mode_t mode_of(const std::string& path) {
  struct stat st {};
  ::stat(path.c_str(), &st);
  return st.st_mode & 07777;
}

}  // namespace

TEST_CASE("export: exactly one result per operation, in batch order semantics", "[export]") {
  Setup s("csv");
  std::vector<OpSpec> ops = {
      op(1, IDSYNC_EXPORT_ADD, "E1", {rep("cn", {"Ann"}), rep("mail", {"a@x", "b@x"})},
         "cn=Ann,o=x"),
      op(2, IDSYNC_EXPORT_ADD, "", {rep("cn", {"Bob"})}, "cn=Bob,o=x"),
      op(3, IDSYNC_EXPORT_UPDATE, "E1",
         {with("mail", IDSYNC_ATTR_ADD, {"c@x"}), with("mail", IDSYNC_ATTR_REMOVE, {"a@x"}),
          rep("cn", {"Ann Lee"})}),
      op(4, IDSYNC_EXPORT_ADD, "E2", {rep("cn", {"Cid"})}),
      op(5, IDSYNC_EXPORT_DELETE, "E2"),
      op(6, IDSYNC_EXPORT_UPDATE, "E9", {rep("cn", {"x"})}),
      op(7, IDSYNC_EXPORT_DELETE, "E9"),
      op(8, IDSYNC_EXPORT_ADD, "E1", {rep("cn", {"again"})}),
      op(9, IDSYNC_EXPORT_ADD, "E3", {rep("cn", {"x;y"})}),
      op(10, IDSYNC_EXPORT_UPDATE, "E1", {rep("id", {"E1b"})}),
      op(11, IDSYNC_EXPORT_ADD, "E4", {rep("cn", {"G"})}),
  };
  ops[10].type = "group";
  const auto r = export_batch(*s.connector, ops);
  REQUIRE(r.size() == ops.size());
  for (uint64_t id : {1, 2, 3, 4, 5}) CHECK(r.at(id).status == IDSYNC_OK);
  CHECK(r.at(1).anchor == "E1");
  const std::string uuid = r.at(2).anchor;
  REQUIRE(uuid.size() == 36);
  CHECK(uuid[14] == '4');
  CHECK(r.at(6).kind == IDSYNC_ERR_UNKNOWN_OBJECT);
  CHECK(r.at(6).message == "no object with anchor \"E9\"");
  CHECK(r.at(7).kind == IDSYNC_ERR_UNKNOWN_OBJECT);
  CHECK(r.at(8).kind == IDSYNC_ERR_ALREADY_EXISTS);
  CHECK(r.at(8).message == "an object with anchor \"E1\" already exists");
  CHECK(r.at(9).kind == IDSYNC_ERR_INVALID_VALUE);
  CHECK(r.at(9).message == "a value of cn contains the multi-value separator \";\"");
  CHECK(r.at(10).kind == IDSYNC_ERR_INVALID_VALUE);
  CHECK(r.at(10).message == "the anchor attribute id cannot be changed");
  CHECK(r.at(11).message ==
        "this CSV file holds only person objects (set object_type_column to store other types)");
  for (uint64_t id : {6, 7, 8, 9, 10, 11}) CHECK(r.at(id).status == IDSYNC_ERROR);

  CHECK(read_file(s.out) ==
        "id,dn,cn,mail\n"
        "E1,\"cn=Ann,o=x\",Ann Lee,b@x;c@x\n" +
            uuid + ",\"cn=Bob,o=x\",Bob,\n");

  // The next batch works against what the file now holds.
  const auto r2 = export_batch(
      *s.connector,
      {[] {
         auto o = op(1, IDSYNC_EXPORT_UPDATE, "E1", {rep("title", {"Boss"})});
         o.new_dn = "cn=Ann Lee,o=x";
         return o;
       }(),
       op(2, IDSYNC_EXPORT_DELETE, uuid), op(3, IDSYNC_EXPORT_ADD, "E5", {rep("cn", {"Eve"})}),
       op(4, IDSYNC_EXPORT_UPDATE, "E1", {with("mail", IDSYNC_ATTR_REMOVE, {})})});
  REQUIRE(r2.size() == 4);
  for (const auto& [id, res] : r2) CHECK(res.status == IDSYNC_OK);
  CHECK(r2.at(1).dn == "cn=Ann Lee,o=x");
  CHECK(read_file(s.out) ==
        "id,dn,cn,mail,title\n"
        "E1,\"cn=Ann Lee,o=x\",Ann Lee,,Boss\n"
        "E5,,Eve,,\n");
  // And it reads back as an import would see it.
  FormatOptions o;
  o.anchor = "id";
  o.dn_column = "dn";
  const auto objs = read_all(s.out, o);
  REQUIRE(objs.size() == 2);
  CHECK(objs[0].dn == "cn=Ann Lee,o=x");
  CHECK(objs[0].attrs ==
        std::vector<Attr>{rep("id", {"E1"}), rep("cn", {"Ann Lee"}), rep("title", {"Boss"})});
}

TEST_CASE("export: LDIF", "[export]") {
  Setup s("ldif", {{"object_type_column", "objectClass"}});
  const std::string photo("\xFF\xD8\xFF", 3);
  auto add_group = op(3, IDSYNC_EXPORT_ADD, "3", {rep("cn", {"g"})}, "cn=g,dc=x");
  add_group.type = "group";
  auto bad_type =
      op(4, IDSYNC_EXPORT_ADD, "4", {rep("objectClass", {"top", "person"})}, "cn=h,dc=x");
  bad_type.type = "group";
  const auto r = export_batch(
      *s.connector,
      {op(1, IDSYNC_EXPORT_ADD, "1",
          {rep("cn", {"a"}), with("jpegPhoto", IDSYNC_ATTR_REPLACE, {photo}, IDSYNC_VALUE_BINARY),
           rep("description", {"\xC3\xBCn\xC3\xAF"
                               "code",
                               " lead", "x:y"}),
           rep("objectClass", {"top", "person"})},
          "cn=a,dc=x"),
       op(2, IDSYNC_EXPORT_ADD, "2", {rep("cn", {"b"})}), add_group, bad_type});
  CHECK(r.at(1).status == IDSYNC_OK);
  CHECK(r.at(2).message == "an LDIF entry needs a DN");
  CHECK(r.at(3).status == IDSYNC_OK);
  CHECK(r.at(4).message == "the last value of objectClass must be the object type group");
  CHECK(read_file(s.out) ==
        "version: 1\n"
        "\n"
        "dn: cn=a,dc=x\n"
        "entryUUID: 1\n"
        "cn: a\n"
        "jpegPhoto:: /9j/\n"
        "description:: w7xuw69jb2Rl\n"
        "description:: IGxlYWQ=\n"
        "description: x:y\n"
        "objectClass: top\n"
        "objectClass: person\n"
        "\n"
        "dn: cn=g,dc=x\n"
        "entryUUID: 3\n"
        "cn: g\n"
        "objectClass: group\n"
        "\n");
  FormatOptions o;
  o.format = Format::ldif;
  o.anchor = "entryUUID";
  o.object_type_column = "objectClass";
  const auto objs = read_all(s.out, o);
  REQUIRE(objs.size() == 2);
  CHECK(objs[0].type == "person");
  CHECK(objs[0].attr("jpegPhoto")->type == IDSYNC_VALUE_BINARY);
  CHECK(objs[0].values("jpegPhoto") == std::vector<std::string>{photo});
  CHECK(objs[0].values("description") == std::vector<std::string>{"\xC3\xBCn\xC3\xAF"
                                                                  "code",
                                                                  " lead", "x:y"});
  CHECK(objs[1].type == "group");
}

TEST_CASE("export: JSON Lines keeps value types", "[export]") {
  Setup s("jsonl");
  auto group = op(3, IDSYNC_EXPORT_ADD, "3", {}, "");
  group.type = "group";
  const auto r = export_batch(
      *s.connector, {op(1, IDSYNC_EXPORT_ADD, "1",
                        {with("age", IDSYNC_ATTR_REPLACE, {"42"}, IDSYNC_VALUE_INTEGER),
                         with("active", IDSYNC_ATTR_REPLACE, {"true"}, IDSYNC_VALUE_BOOLEAN),
                         rep("mail", {"a", "b\"q\""}),
                         with("photo", IDSYNC_ATTR_REPLACE, {"\xFF\xD8\xFF"}, IDSYNC_VALUE_BINARY)},
                        "cn=a"),
                     op(2, IDSYNC_EXPORT_ADD, "2",
                        {with("age", IDSYNC_ATTR_REPLACE, {"007"}, IDSYNC_VALUE_INTEGER)}),
                     group, op(4, IDSYNC_EXPORT_ADD, "4", {rep("_dn", {"x"})})});
  CHECK(r.at(1).status == IDSYNC_OK);
  CHECK(r.at(2).message == "attribute age is an integer but \"007\" is not one");
  CHECK(r.at(3).status == IDSYNC_OK);
  CHECK(r.at(4).message == "attribute name _dn is reserved in JSON Lines files");
  CHECK(read_file(s.out) ==
        "{\"_dn\":\"cn=a\",\"id\":\"1\",\"age\":42,\"active\":true,\"mail\":[\"a\",\"b\\\"q\\\"\"],"
        "\"photo\":\"/9j/\"}\n"
        "{\"_object_type\":\"group\",\"id\":\"3\"}\n");
  FormatOptions o;
  o.format = Format::jsonl;
  o.anchor = "id";
  const auto objs = read_all(s.out, o);
  REQUIRE(objs.size() == 2);
  CHECK(objs[0].attr("age")->type == IDSYNC_VALUE_INTEGER);
  CHECK(objs[0].attr("active")->type == IDSYNC_VALUE_BOOLEAN);
  CHECK(objs[1].type == "group");
}

TEST_CASE("export: the file is replaced atomically, keeping its permissions", "[export][atomic]") {
  Setup s("csv");
  REQUIRE(export_batch(*s.connector, {op(1, IDSYNC_EXPORT_ADD, "E1", {rep("cn", {"a"})})})
              .at(1)
              .status == IDSYNC_OK);
  CHECK(mode_of(s.out) == 0640);
  ::chmod(s.out.c_str(), 0604);
  const auto before = inode_of(s.out);
  // An update rewrites the file (a batch of adds alone would be appended).
  REQUIRE(export_batch(*s.connector, {op(1, IDSYNC_EXPORT_UPDATE, "E1", {rep("cn", {"b"})})})
              .at(1)
              .status == IDSYNC_OK);
  CHECK(inode_of(s.out) != before);  // a new file renamed over the old one
  CHECK(mode_of(s.out) == 0604);
  CHECK(s.dir.entries() == std::vector<std::string>{"in.txt", "out.csv", "state"});
}

TEST_CASE("export: a cancelled batch leaves the file as it was and reports nothing",
          "[export][atomic]") {
  Setup s("csv");
  export_batch(*s.connector, {op(1, IDSYNC_EXPORT_ADD, "E1", {rep("cn", {"a"})})});
  const std::string before = read_file(s.out);
  CHECK_THROWS_AS(export_batch(*s.connector, {op(1, IDSYNC_EXPORT_DELETE, "E1")}, true),
                  idsync::sdk::Stopped);
  CHECK(read_file(s.out) == before);
  CHECK(s.dir.entries() == std::vector<std::string>{"in.txt", "out.csv", "state"});
}

TEST_CASE("export: an unreadable export file fails the whole batch, untouched",
          "[export][atomic]") {
  Setup s("csv");
  write_file(s.out, "id,dn,cn\nE1,,a\nE2,b\n");
  idsync_error_kind kind = IDSYNC_ERR_NONE;
  CHECK(error_of([&] { export_batch(*s.connector, {op(1, IDSYNC_EXPORT_ADD, "E3")}); }, &kind) ==
        "out.csv:3: expected 3 fields as in the header, found 2");
  CHECK(kind == IDSYNC_ERR_INVALID_VALUE);
  CHECK(read_file(s.out) == "id,dn,cn\nE1,,a\nE2,b\n");
  CHECK(s.dir.entries() == std::vector<std::string>{"in.txt", "out.csv", "state"});
  write_file(s.out, "id,dn,cn\nE1,,a\nE1,,b\n");
  CHECK(error_of([&] { export_batch(*s.connector, {op(1, IDSYNC_EXPORT_ADD, "E3")}); }) ==
        "out.csv:3: duplicate anchor \"E1\" (first at line 2)");
}

TEST_CASE("export: an empty batch does not touch the file, a nameless attribute fails its op",
          "[export]") {
  Setup s("csv");
  export_batch(*s.connector, {op(1, IDSYNC_EXPORT_ADD, "E1", {rep("cn", {"a"})})});
  const auto before = inode_of(s.out);
  CHECK(export_batch(*s.connector, {}).empty());
  CHECK(inode_of(s.out) == before);
  const auto r = export_batch(*s.connector, {op(7, IDSYNC_EXPORT_UPDATE, "E1", {rep("", {"x"})})});
  CHECK(r.at(7).kind == IDSYNC_ERR_INVALID_VALUE);
  CHECK(r.at(7).message == "an attribute of the operation has no name");
  CHECK(read_file(s.out) == "id,dn,cn\nE1,,a\n");
}

TEST_CASE("export: without export_file the batch is a configuration error", "[export]") {
  TempDir dir;
  auto c = ConfigBuilder().set("path", dir / "p.csv").set("anchor_column", "id").create(dir.path());
  idsync_error_kind kind = IDSYNC_ERR_NONE;
  CHECK(error_of([&] { export_batch(*c, {op(1, IDSYNC_EXPORT_ADD, "E1")}); }, &kind) ==
        "export_file: not set, so this connector cannot export");
  CHECK(kind == IDSYNC_ERR_CONFIG);
}

TEST_CASE("atomic writer: nothing happens to the target until commit", "[atomic]") {
  TempDir dir;
  const std::string target = dir / "t.txt";
  write_file(target, "old");
  {
    AtomicWriter w(target);
    w.write("new content");
    CHECK(read_file(target) == "old");
    CHECK(dir.entries().size() == 2);  // the target and the temporary file
  }                                    // destroyed without commit
  CHECK(read_file(target) == "old");
  CHECK(dir.entries() == std::vector<std::string>{"t.txt"});
  {
    AtomicWriter w(target);
    w.write("0123456789");
    w.write_at(2, "ab");
    w.commit();
  }
  CHECK(read_file(target) == "01ab456789");
  CHECK(dir.entries() == std::vector<std::string>{"t.txt"});
  idsync_error_kind kind = IDSYNC_ERR_NONE;
  CHECK_THAT(error_of([&] { AtomicWriter w(dir / "missing/t.txt"); }, &kind),
             StartsWith("cannot create a temporary file in " + dir.path() +
                        "/missing: No such file or directory"));
  CHECK(kind == IDSYNC_ERR_PERMISSION);
}

TEST_CASE("export: a batch of new objects after a full pass is appended", "[export][append]") {
  for (const std::string format : {"csv", "ldif", "jsonl"}) {
    Setup s(format);
    REQUIRE(export_batch(*s.connector, {op(1, IDSYNC_EXPORT_ADD, "E1", {rep("cn", {"a"})},
                                           format == "ldif" ? "cn=a,o=x" : "")})
                .at(1)
                .status == IDSYNC_OK);
    const auto before = inode_of(s.out);
    const std::string first = read_file(s.out);
    const auto r = export_batch(
        *s.connector,
        {op(1, IDSYNC_EXPORT_ADD, "E2", {rep("cn", {"b"})}, format == "ldif" ? "cn=b,o=x" : ""),
         op(2, IDSYNC_EXPORT_ADD, "E3", {rep("cn", {"c"})}, format == "ldif" ? "cn=c,o=x" : "")});
    CHECK(r.at(1).status == IDSYNC_OK);
    CHECK(r.at(2).status == IDSYNC_OK);
    INFO(format);
    CHECK(inode_of(s.out) == before);                              // not rewritten
    CHECK(read_file(s.out).compare(0, first.size(), first) == 0);  // only grown
    // The file reads back whole: every object, in order.
    FormatOptions o;
    o.format = format == "csv" ? Format::csv : format == "ldif" ? Format::ldif : Format::jsonl;
    o.anchor = format == "csv" ? "id" : format == "ldif" ? "entryUUID" : "id";
    if (format == "csv") o.dn_column = "dn";
    const auto objs = read_all(s.out, o);
    REQUIRE(objs.size() == 3);
    CHECK(objs[2].anchor == "E3");
    CHECK(objs[2].values("cn") == std::vector<std::string>{"c"});
    CHECK(s.dir.entries() == std::vector<std::string>{"in.txt", "out." + format, "state"});
  }
}

TEST_CASE("export: adds take the full pass when the file changed or has the anchor",
          "[export][append]") {
  Setup s("csv");
  export_batch(*s.connector, {op(1, IDSYNC_EXPORT_ADD, "E1", {rep("cn", {"a"})})});
  // Somebody else adds a row: the connector's knowledge of the file is stale, so it rewrites
  // (and so sees E9 and keeps it).
  write_file(s.out, read_file(s.out) + "E9,,z\n");
  auto before = inode_of(s.out);
  CHECK(export_batch(*s.connector, {op(1, IDSYNC_EXPORT_ADD, "E2", {rep("cn", {"b"})})})
            .at(1)
            .status == IDSYNC_OK);
  CHECK(inode_of(s.out) != before);
  CHECK(read_file(s.out) == "id,dn,cn\nE1,,a\nE9,,z\nE2,,b\n");
  // An add of an anchor the file has is refused as in a full pass.
  before = inode_of(s.out);
  const auto r = export_batch(*s.connector, {op(1, IDSYNC_EXPORT_ADD, "E9", {rep("cn", {"y"})})});
  CHECK(r.at(1).kind == IDSYNC_ERR_ALREADY_EXISTS);
  CHECK(read_file(s.out) == "id,dn,cn\nE1,,a\nE9,,z\nE2,,b\n");
  // A new column changes the header: the whole file.
  before = inode_of(s.out);
  export_batch(*s.connector, {op(1, IDSYNC_EXPORT_ADD, "E3", {rep("mail", {"m"})})});
  CHECK(inode_of(s.out) != before);
  CHECK(read_file(s.out) == "id,dn,cn,mail\nE1,,a,\nE9,,z,\nE2,,b,\nE3,,,m\n");
}

TEST_CASE("export: an append the process did not finish is cut back", "[export][append]") {
  Setup s("csv");
  export_batch(*s.connector, {op(1, IDSYNC_EXPORT_ADD, "E1", {rep("cn", {"a"})})});
  const std::string good = read_file(s.out);
  // What a process killed mid-append leaves: its journal, and half a record.
  write_file(
      s.dir / "state/export-append.journal",
      std::to_string(good.size()) + "\n" + std::to_string(inode_of(s.out)) + "\n" + s.out + "\n");
  {
    std::ofstream tail(s.out, std::ios::app);
    tail << "E2,,hal";
  }
  write_file(s.dir / "in.txt", "id,dn,cn\n");
  full_import(*s.connector, 10);  // any import (or export) of the connector cuts it back first
  CHECK(read_file(s.out) == good);
  CHECK_FALSE(std::filesystem::exists(s.dir / "state/export-append.journal"));
}
