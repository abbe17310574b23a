// Export in append mode: change records appended to the change file, read back by a Delta
// import, folded into the state file by a full import.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "change_fold.hpp"
#include "support.hpp"

using namespace idsync::file;
using namespace filetest;

namespace {

struct Setup {
  TempDir dir;
  std::string state;
  std::string changes;
  std::unique_ptr<FileConnector> connector;
  explicit Setup(const std::string& format) {
    make_dir(dir / "state");
    state = dir / ("directory." + format);
    changes = dir / ("changes." + format);
    ConfigBuilder b;
    b.set("path", state)
        .set("format", format)
        .set("anchor_attribute", format == "ldif" ? "uid" : "id")
        .set("delta_mode", "change_file")
        .set("change_file", changes)
        .set("export_mode", "append");
    connector = b.create(dir / "state");
  }
  FormatOptions format() const {
    FormatOptions o = connector->options().format;
    o.attributes.clear();
    return o;
  }
};

OpSpec op(uint64_t id, idsync_export_kind kind, const std::string& anchor, const std::string& dn,
          std::vector<Attr> attrs = {}) {
  OpSpec o;
  o.id = id;
  o.kind = kind;
  o.anchor = anchor;
  o.dn = dn;
  o.attrs = std::move(attrs);
  return o;
}

Attr with(const std::string& name, idsync_attr_op op, std::vector<std::string> values) {
  return Attr{name, IDSYNC_VALUE_STRING, op, std::move(values)};
}

std::vector<std::string> ok_ids(const std::map<uint64_t, Result>& results) {
  std::vector<std::string> out;
  for (const auto& [id, r] : results)
    out.push_back(std::to_string(id) + (r.status == IDSYNC_OK ? ":ok" : ":" + r.message));
  return out;
}

}  // namespace

TEST_CASE(
    "append export: LDIF change records, read back by a Delta import, folded by a full import",
    "[export][append-mode]") {
  Setup s("ldif");
  const ImportRun first = full_import(*s.connector, 10);  // creates the empty state file
  CHECK(first.objects.empty());
  CHECK(read_file(s.state).empty());

  auto r = export_batch(*s.connector,
                        {op(1, IDSYNC_EXPORT_ADD, "a", "uid=a,ou=people",
                            {rep("uid", {"a"}), rep("cn", {"Ann"}), rep("title", {"Clerk"})}),
                         op(2, IDSYNC_EXPORT_ADD, "g", "cn=g,ou=groups",
                            {rep("cn", {"g"}), rep("member", {"uid=a,ou=people", "uid=x"})})});
  CHECK(ok_ids(r) == std::vector<std::string>{"1:ok", "2:ok"});
  auto rename = op(3, IDSYNC_EXPORT_UPDATE, "a", "uid=a,ou=people", {rep("title", {"Lead"})});
  rename.new_dn = "uid=a,ou=staff";
  r = export_batch(*s.connector,
                   {rename,
                    op(4, IDSYNC_EXPORT_UPDATE, "g", "cn=g,ou=groups",
                       {with("member", IDSYNC_ATTR_ADD, {"uid=b"}),
                        with("member", IDSYNC_ATTR_REMOVE, {"uid=x"}), rep("description", {})}),
                    op(5, IDSYNC_EXPORT_DELETE, "gone", "uid=gone,ou=people")});
  CHECK(ok_ids(r) == std::vector<std::string>{"3:ok", "4:ok", "5:ok"});
  CHECK(r.at(3).dn == "uid=a,ou=staff");
  CHECK(read_file(s.state).empty());  // the state file is not touched by an export
  CHECK(read_file(s.changes) ==
        "version: 1\n\n"
        "dn: uid=a,ou=people\nchangetype: add\nuid: a\ncn: Ann\ntitle: Clerk\n"
        "\n"
        "dn: cn=g,ou=groups\nchangetype: add\nuid: g\ncn: g\nmember: uid=a,ou=people\nmember: "
        "uid=x\n\n"
        "dn: uid=a,ou=people\nchangetype: modrdn\nuid: a\nnewrdn: uid=a\ndeleteoldrdn: 0\n"
        "newsuperior: ou=staff\n\n"
        "dn: uid=a,ou=staff\nchangetype: modify\nuid: a\nreplace: title\ntitle: Lead\n-\n\n"
        "dn: cn=g,ou=groups\nchangetype: modify\nuid: g\nadd: member\nmember: uid=b\n-\n"
        "delete: member\nmember: uid=x\n-\nreplace: description\n-\n\n"
        "dn: uid=gone,ou=people\nchangetype: delete\nuid: gone\n\n");

  // The Delta import reads back exactly what was exported.
  const ImportRun delta = delta_import(*s.connector, first.watermark, 100);
  REQUIRE(delta.objects.size() == 6);
  CHECK(delta.objects[0].change == IDSYNC_CHANGE_ADD);
  CHECK(delta.objects[0].values("title") == std::vector<std::string>{"Clerk"});
  CHECK(delta.objects[2].dn == "uid=a,ou=staff");
  CHECK(delta.objects[4].attrs == std::vector<Attr>{with("member", IDSYNC_ATTR_ADD, {"uid=b"}),
                                                    with("member", IDSYNC_ATTR_REMOVE, {"uid=x"}),
                                                    rep("description", {})});
  CHECK(delta.objects[5].change == IDSYNC_CHANGE_DELETE);
  CHECK(delta.objects[5].anchor == "gone");
  CHECK(delta_import(*s.connector, delta.watermark, 100).objects.empty());

  // A full import folds the records into the state file first, then reads it.
  const ImportRun full = full_import(*s.connector, 10);
  REQUIRE(full.objects.size() == 2);
  CHECK(full.objects[0].anchor == "a");
  CHECK(full.objects[0].dn == "uid=a,ou=staff");
  CHECK(full.objects[0].values("title") == std::vector<std::string>{"Lead"});
  CHECK(full.objects[1].values("member") == std::vector<std::string>{"uid=a,ou=people", "uid=b"});
  CHECK(full.objects[1].attr("description") == nullptr);
  CHECK(full.watermark == delta.watermark);  // Delta imports go on after the folded records
  // Nothing new: the state file is left as it is.
  const std::string folded = read_file(s.state);
  full_import(*s.connector, 10);
  CHECK(read_file(s.state) == folded);

  // Records appended later fold on top of the state.
  export_batch(*s.connector,
               {op(1, IDSYNC_EXPORT_UPDATE, "a", "uid=a,ou=staff", {rep("cn", {"Anne"})}),
                op(2, IDSYNC_EXPORT_DELETE, "g", "cn=g,ou=groups")});
  const ImportRun again = full_import(*s.connector, 10);
  REQUIRE(again.objects.size() == 1);
  CHECK(again.objects[0].values("cn") == std::vector<std::string>{"Anne"});
}

TEST_CASE("append export: folding keeps the attributes the import leaves out",
          "[export][append-mode][fold]") {
  TempDir dir;
  make_dir(dir / "state");
  ConfigBuilder b;
  b.set("path", dir / "d.ldif")
      .set("format", "ldif")
      .set("anchor_attribute", "uid")
      .set("delta_mode", "change_file")
      .set("change_file", dir / "c.ldif")
      .set("export_mode", "append")
      .list("attributes", {"cn"});
  auto connector = b.create(dir / "state");
  full_import(*connector, 10);
  export_batch(*connector, {op(1, IDSYNC_EXPORT_ADD, "a", "uid=a",
                               {rep("cn", {"Ann"}), rep("title", {"Clerk"})})});
  const ImportRun full = full_import(*connector, 10);
  REQUIRE(full.objects.size() == 1);
  CHECK(full.objects[0].attr("title") == nullptr);  // not imported
  CHECK(read_file(dir / "d.ldif") == "version: 1\n\ndn: uid=a\nuid: a\ncn: Ann\ntitle: Clerk\n\n");
}

TEST_CASE("append export: JSON Lines", "[export][append-mode]") {
  Setup s("jsonl");
  const ImportRun first = full_import(*s.connector, 10);
  auto rename = op(3, IDSYNC_EXPORT_UPDATE, "1", "cn=a", {rep("n", {"7"}), rep("mail", {})});
  rename.new_dn = "cn=A";
  rename.attrs[0].type = IDSYNC_VALUE_INTEGER;
  const auto r = export_batch(
      *s.connector,
      {op(1, IDSYNC_EXPORT_ADD, "1", "cn=a", {rep("mail", {"a@x"}), rep("tags", {"p", "q"})}),
       op(2, IDSYNC_EXPORT_ADD, "2", "", {rep("mail", {"b@x"})}), rename,
       op(4, IDSYNC_EXPORT_UPDATE, "1", "cn=A", {with("tags", IDSYNC_ATTR_ADD, {"r"})}),
       op(5, IDSYNC_EXPORT_DELETE, "2", "")});
  CHECK(ok_ids(r) ==
        std::vector<std::string>{
            "1:ok", "2:ok", "3:ok",
            "4:a JSON Lines update can only replace or clear tags, not add values to it", "5:ok"});
  CHECK(read_file(s.changes) ==
        "{\"_change\":\"add\",\"_dn\":\"cn=a\",\"id\":\"1\",\"mail\":\"a@x\",\"tags\":[\"p\",\"q\"]"
        "}\n"
        "{\"_change\":\"add\",\"id\":\"2\",\"mail\":\"b@x\"}\n"
        "{\"_change\":\"update\",\"id\":\"1\",\"_dn\":\"cn=A\",\"n\":7,\"mail\":null}\n"
        "{\"_change\":\"delete\",\"id\":\"2\"}\n");
  const ImportRun delta = delta_import(*s.connector, first.watermark, 100);
  REQUIRE(delta.objects.size() == 4);
  CHECK(delta.objects[2].dn == "cn=A");
  CHECK(delta.objects[2].attr("n")->type == IDSYNC_VALUE_INTEGER);
  const ImportRun full = full_import(*s.connector, 10);
  REQUIRE(full.objects.size() == 1);
  CHECK(full.objects[0].dn == "cn=A");
  CHECK(full.objects[0].values("n") == std::vector<std::string>{"7"});
  CHECK(full.objects[0].attr("mail") == nullptr);
  CHECK(full.objects[0].values("tags") == std::vector<std::string>{"p", "q"});
}

TEST_CASE("append export: operations the target could not take fail alone and write nothing",
          "[export][append-mode]") {
  Setup s("ldif");
  full_import(*s.connector, 10);
  auto move_anchor = op(3, IDSYNC_EXPORT_UPDATE, "a", "uid=a,ou=p");
  move_anchor.new_dn = "uid=b,ou=p";
  const auto r = export_batch(
      *s.connector, {op(1, IDSYNC_EXPORT_UPDATE, "a", "uid=a,ou=p", {rep("uid", {"b"})}),
                     op(2, IDSYNC_EXPORT_UPDATE, "a", "", {rep("cn", {"x"})}), move_anchor,
                     op(4, IDSYNC_EXPORT_ADD, "c", "", {rep("cn", {"c"})}),
                     op(5, IDSYNC_EXPORT_UPDATE, "a", "uid=a,ou=p", {rep("bad name", {"x"})}),
                     op(6, IDSYNC_EXPORT_UPDATE, "a", "uid=a,ou=p", {rep("uid", {"a"})})});
  CHECK(ok_ids(r) ==
        std::vector<std::string>{
            "1:the anchor attribute uid cannot be changed",
            "2:the object's DN is not known, and an LDIF change record names its object by DN",
            "3:the new DN would change the anchor attribute uid", "4:an LDIF entry needs a DN",
            "5:\"bad name\" is not a valid LDIF attribute name", "6:ok"});
  CHECK(read_file(s.changes) ==
        "version: 1\n\ndn: uid=a,ou=p\nchangetype: modify\nuid: a\nreplace: uid\nuid: a\n-\n\n");
}

TEST_CASE("append export: configuration", "[export][append-mode][config]") {
  TempDir dir;
  make_dir(dir / "state");
  auto base = [&](const std::string& format) {
    ConfigBuilder b;
    b.set("path", dir / "d").set("format", format).set("export_mode", "append");
    if (format == "csv")
      b.set("anchor_column", "id").set("change_type_column", "op");
    else
      b.set("anchor_attribute", "id");
    return b;
  };
  auto error = [&](ConfigBuilder b) { return error_of([&] { b.create(dir / "state"); }); };
  CHECK(error(base("ldif")) ==
        "export_mode: append needs delta_mode change_file (the exported records are what a Delta "
        "import reads back)");
  CHECK(error(base("csv").set("delta_mode", "change_file").set("change_file", dir / "c")) ==
        "export_mode: append needs format ldif or jsonl (a CSV change file cannot clear a value "
        "or gain a column)");
  CHECK(error(base("ldif")
                  .set("delta_mode", "change_file")
                  .set("change_file", dir / "c")
                  .set("export_file", dir / "e")) ==
        "export_file: not used with export_mode append, which writes to change_file");
  CHECK(error(base("ldif").set("delta_mode", "change_file").set("change_file", dir / "d")) ==
        "change_file: must differ from path with export_mode append");
  CHECK(error(base("ldif").set("delta_mode", "change_file").set("change_file", dir / "c")).empty());
  CHECK(error(base("ldif").set("export_mode", "sideways")) ==
        "export_mode: sideways is not one of rewrite, append");
}

TEST_CASE("append export: folding in chunks, again after a crash, and a replaced change file",
          "[export][append-mode][fold]") {
  Setup s("ldif");
  full_import(*s.connector, 10);
  // More records than one chunk: the first chunk rewrites the state file, later ones append.
  const std::size_t n = kFoldChunk + kFoldChunk / 2;
  std::vector<OpSpec> ops;
  for (std::size_t i = 0; i < n; ++i) {
    const std::string id = std::to_string(i);
    ops.push_back(op(i, IDSYNC_EXPORT_ADD, id, "uid=" + id, {rep("cn", {"n" + id})}));
  }
  REQUIRE(export_batch(*s.connector, ops).size() == n);
  export_batch(*s.connector, {op(1, IDSYNC_EXPORT_UPDATE, "7", "uid=7", {rep("cn", {"seven"})})});

  const std::string mark = s.dir / "state/fold.mark";
  REQUIRE_FALSE(std::filesystem::exists(mark));  // nothing was folded yet
  std::vector<std::string> warnings;
  auto warn = [&](const std::string& w) { warnings.push_back(w); };
  const ChangeFileMark end = fold_change_file(
      s.connector->options(), [] { return false; }, warn);
  CHECK(warnings.empty());
  CHECK(end.position.offset == std::filesystem::file_size(s.changes));
  auto objs = read_all(s.state, s.format());
  REQUIRE(objs.size() == n);
  CHECK(objs[7].values("cn") == std::vector<std::string>{"seven"});
  const std::string state_after = read_file(s.state);

  // A crash after the state file was written, before the mark: the records apply again. Adds
  // find their objects present (reported), the update applies again, and the state ends equal.
  std::filesystem::remove(mark);
  fold_change_file(
      s.connector->options(), [] { return false; }, warn);
  CHECK(read_file(s.state) == state_after);
  REQUIRE(warnings.size() == 21);
  CHECK(warnings[0] ==
        "changes.ldif:3: not applied to directory.ldif: an object with anchor "
        "\"0\" already exists");
  CHECK(warnings[20] == std::to_string(n - 20) +
                            " more records of changes.ldif were not applied "
                            "to directory.ldif");

  // The change file replaced behind the connector's back: refused, state left alone.
  replace_file(s.changes, "version: 1\n\n");
  idsync_error_kind kind{};
  const std::string message = error_of([&] { full_import(*s.connector, 10); }, &kind);
  CHECK(kind == IDSYNC_ERR_PRECONDITION);
  CHECK(message.find("was replaced (another inode) since it was folded into directory.ldif") !=
        std::string::npos);
  CHECK(read_file(s.state) == state_after);
}

TEST_CASE("append export: an append the process did not finish is cut back",
          "[export][append-mode]") {
  Setup s("ldif");
  full_import(*s.connector, 10);
  export_batch(*s.connector, {op(1, IDSYNC_EXPORT_ADD, "a", "uid=a", {rep("cn", {"a"})})});
  const std::string good = read_file(s.changes);
  // What a process killed mid-append leaves: its journal (size and inode), and half a record.
  struct stat st {};
  ::stat(s.changes.c_str(), &st);
  write_file(
      s.dir / "state/export-append.journal",
      std::to_string(good.size()) + "\n" + std::to_string(st.st_ino) + "\n" + s.changes + "\n");
  append_file(s.changes, "dn: uid=b\nchangetype: add\nuid: b\ncn: hal");
  export_batch(*s.connector, {op(1, IDSYNC_EXPORT_ADD, "c", "uid=c", {rep("cn", {"c"})})});
  CHECK(read_file(s.changes) == good + "dn: uid=c\nchangetype: add\nuid: c\ncn: c\n\n");
}

TEST_CASE("append export: a fold's append the process did not finish is cut back",
          "[export][append-mode][fold]") {
  Setup s("ldif");
  full_import(*s.connector, 10);
  export_batch(*s.connector, {op(1, IDSYNC_EXPORT_ADD, "a", "uid=a", {rep("cn", {"a"})})});
  full_import(*s.connector, 10);  // folds: the state file holds a
  const std::string good = read_file(s.state);
  // A process killed while a fold appended to the state file: the journal names that file.
  struct stat st {};
  ::stat(s.state.c_str(), &st);
  write_file(
      s.dir / "state/export-append.journal",
      std::to_string(good.size()) + "\n" + std::to_string(st.st_ino) + "\n" + s.state + "\n");
  append_file(s.state, "dn: uid=b\nuid: b\ncn: hal");
  // The import first recovers the change file's appends (the journal is not about it, so it
  // stays), then the fold recovers the state file's.
  const ImportRun full = full_import(*s.connector, 10);
  CHECK(read_file(s.state) == good);
  REQUIRE(full.objects.size() == 1);
  CHECK(full.objects[0].anchor == "a");
  CHECK_FALSE(std::filesystem::exists(s.dir / "state/export-append.journal"));
}
