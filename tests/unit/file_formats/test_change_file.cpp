// Delta import from a change file: each change once, partial records wait, rotation and
// truncation refused, resuming.
#include <catch2/catch.hpp>
#include <filesystem>

#include "state_token.hpp"
#include "support.hpp"

using namespace idsync::file;
using namespace filetest;
using Catch::Matchers::StartsWith;

namespace {

struct Setup {
  TempDir dir;
  std::string file;
  std::string changes;
  std::unique_ptr<FileConnector> connector;
  Setup(const std::string& format, const std::string& content,
        const std::optional<std::string>& change_content) {
    make_dir(dir / "state");
    file = dir / ("people." + format);
    changes = dir / ("changes." + format);
    write_file(file, content);
    if (change_content) write_file(changes, *change_content);
    ConfigBuilder b;
    b.set("path", file)
        .set("format", format)
        .set("delta_mode", "change_file")
        .set("change_file", changes);
    if (format == "csv")
      b.set("anchor_column", "id").set("change_type_column", "op");
    else
      b.set("anchor_attribute", format == "ldif" ? "entryUUID" : "id");
    connector = b.create(dir / "state");
  }
};

std::vector<std::string> summary(const std::vector<Obj>& objs) {
  std::vector<std::string> out;
  for (const Obj& o : objs) out.push_back(std::to_string(o.change) + ":" + o.anchor);
  return out;
}

const std::string kPeople = "dn: cn=a\nentryUUID: 1\ncn: a\n\ndn: cn=b\nentryUUID: 2\ncn: b\n";

}  // namespace

TEST_CASE("change file: each appended change is imported once", "[changes]") {
  Setup s("ldif", kPeople, "dn: cn=old\nchangetype: delete\nentryUUID: 0\n\n");
  const ImportRun full = full_import(*s.connector, 10);
  CHECK(full.objects.size() == 2);
  CHECK(full.watermark.find("mode=change_file") != std::string::npos);
  // The change that was there before the full import is part of the full state already.
  CHECK(delta_import(*s.connector, full.watermark, 10).objects.empty());

  append_file(s.changes,
              "dn: cn=c\nchangetype: add\nentryUUID: 3\ncn: c\n\n"
              "dn: cn=a\nchangetype: modify\nentryUUID: 1\nreplace: cn\ncn: A\n-\n\n"
              "dn: cn=b\nchangetype: delete\nentryUUID: 2\n\n"
              "dn: cn=d\nchangetype: add\nentryUUID: 4\n");  // still being written
  const ImportRun d1 = delta_import(*s.connector, full.watermark, 2);
  CHECK(summary(d1.objects) == std::vector<std::string>{"1:3", "2:1", "3:2"});
  CHECK(d1.objects[1].attrs == std::vector<Attr>{rep("cn", {"A"})});
  CHECK(d1.checkpoints.size() == 1);
  CHECK(s.connector->current_watermark() == d1.watermark);

  CHECK(delta_import(*s.connector, d1.watermark, 2).objects.empty());
  append_file(s.changes, "cn: d\n\n");
  const ImportRun d2 = delta_import(*s.connector, d1.watermark, 2);
  REQUIRE(d2.objects.size() == 1);
  CHECK(d2.objects[0].change == IDSYNC_CHANGE_ADD);
  CHECK(d2.objects[0].attrs == std::vector<Attr>{rep("entryUUID", {"4"}), rep("cn", {"d"})});
  CHECK(delta_import(*s.connector, d2.watermark, 2).objects.empty());
}

TEST_CASE("change file: JSON Lines and CSV", "[changes]") {
  {
    Setup s("jsonl", "{\"id\": \"1\"}\n", "");
    const ImportRun full = full_import(*s.connector, 10);
    append_file(s.changes,
                "{\"id\": \"2\", \"_change\": \"add\", \"cn\": \"x\"}\n{\"id\": \"1\", "
                "\"_change\": \"delete\"}\n{\"id\": \"3\"");
    const ImportRun d = delta_import(*s.connector, full.watermark, 10);
    CHECK(summary(d.objects) == std::vector<std::string>{"1:2", "3:1"});
    append_file(s.changes, ", \"_change\": \"update\", \"cn\": null}\n");
    const ImportRun d2 = delta_import(*s.connector, d.watermark, 10);
    REQUIRE(summary(d2.objects) == std::vector<std::string>{"2:3"});
    CHECK(d2.objects[0].attrs == std::vector<Attr>{rep("id", {"3"}), rep("cn", {})});
  }
  {
    Setup s("csv", "id,cn\n1,a\n", "id,op,cn\n");
    const ImportRun full = full_import(*s.connector, 10);
    append_file(s.changes, "2,add,b\n1,update,\"A\nA\"\n3,delete,\n4,,d\n");
    const ImportRun d = delta_import(*s.connector, full.watermark, 10);
    CHECK(summary(d.objects) == std::vector<std::string>{"1:2", "2:1", "3:3", "0:4"});
    CHECK(d.objects[1].values("cn") == std::vector<std::string>{"A\nA"});
    CHECK(delta_import(*s.connector, d.watermark, 10).objects.empty());
  }
}

TEST_CASE("change file: absent at the full import, read from its start once it appears",
          "[changes]") {
  Setup s("ldif", kPeople, std::nullopt);
  const ImportRun full = full_import(*s.connector, 10);
  CHECK(full.watermark.find("absent=1") != std::string::npos);
  const ImportRun none = delta_import(*s.connector, full.watermark, 10);
  CHECK(none.objects.empty());
  CHECK(none.watermark == full.watermark);
  write_file(s.changes, "dn: cn=b\nchangetype: delete\nentryUUID: 2\n\n");
  CHECK(summary(delta_import(*s.connector, full.watermark, 10).objects) ==
        std::vector<std::string>{"3:2"});
}

TEST_CASE("change file: replaced, truncated, rewritten or removed is a precondition error",
          "[changes][errors]") {
  const std::string first = "dn: cn=b\nchangetype: delete\nentryUUID: 2\n\n";
  Setup s("ldif", kPeople, "");
  const ImportRun full = full_import(*s.connector, 10);
  append_file(s.changes, first);
  const ImportRun d = delta_import(*s.connector, full.watermark, 10);
  REQUIRE(d.objects.size() == 1);
  idsync_error_kind kind = IDSYNC_ERR_NONE;
  SECTION("replaced") {
    replace_file(s.changes, first + first);
    CHECK(error_of([&] { delta_import(*s.connector, d.watermark, 10); }, &kind) ==
          "the change file changes.ldif was replaced since the last import (another inode), so "
          "changes appended to the "
          "old file may be lost; run a full import");
  }
  SECTION("truncated") {
    write_file(s.changes, "");
    CHECK(error_of([&] { delta_import(*s.connector, d.watermark, 10); }, &kind) ==
          "the change file changes.ldif is shorter (0 bytes) than what the last import consumed (" +
              std::to_string(first.size()) + " bytes); run a full import");
  }
  SECTION("rewritten in place") {
    std::string other = first;
    other[other.find("2")] = '7';
    write_file(s.changes, other + first);
    CHECK(error_of([&] { delta_import(*s.connector, d.watermark, 10); }, &kind) ==
          "the change file changes.ldif was rewritten since the last import; run a full import");
  }
  SECTION("removed") {
    std::filesystem::remove(s.changes);
    CHECK(
        error_of([&] { delta_import(*s.connector, d.watermark, 10); }, &kind) ==
        "the change file changes.ldif is gone (it existed at the last import); run a full import");
  }
  CHECK(kind == IDSYNC_ERR_PRECONDITION);
}

TEST_CASE("change file: resuming at every page boundary", "[changes][resume]") {
  Setup s("jsonl", "{\"id\": \"1\"}\n", "");
  const ImportRun full = full_import(*s.connector, 10);
  for (int i = 0; i < 17; ++i)
    append_file(s.changes, "{\"id\": \"c" + std::to_string(i) + "\", \"_change\": \"" +
                               (i % 2 ? "update" : "add") + "\"}\n");
  for (uint32_t page : {1u, 3u, 5u}) {
    const ImportRun whole = delta_import(*s.connector, full.watermark, page);
    REQUIRE(whole.objects.size() == 17);
    for (std::size_t k = 0; k < whole.checkpoints.size(); ++k) {
      const ImportRun rest = delta_import(*s.connector, full.watermark, page, whole.checkpoints[k]);
      CHECK(rest.objects == std::vector<Obj>(whole.objects.begin() + whole.committed_after_page[k],
                                             whole.objects.end()));
      CHECK(rest.watermark == whole.watermark);
    }
  }
  CHECK(error_of([&] { delta_import(*s.connector, full.watermark, 1, "idsync-file/1;op=full"); }) ==
        "the checkpoint belongs to another operation (op=full, expected delta_change); run a full "
        "import");
}

TEST_CASE("change file: bad change records name file and line", "[changes][errors]") {
  Setup s("ldif", kPeople, "");
  const ImportRun full = full_import(*s.connector, 10);
  append_file(s.changes,
              "dn: cn=a\nchangetype: delete\nentryUUID: 1\n\ndn: cn=b\nchangetype: "
              "modify\nreplace: cn\ncn: x\n-\n\n");
  CHECK_THAT(error_of([&] { delta_import(*s.connector, full.watermark, 10); }),
             StartsWith("changes.ldif:5: the changetype: modify record has no entryUUID line"));
}

TEST_CASE("change file: a CSV change file whose header is still being written has no changes yet",
          "[changes]") {
  Setup s("csv", "id,cn\n1,a\n", "id,o");
  const ImportRun full = full_import(*s.connector, 10);
  const ImportRun none = delta_import(*s.connector, full.watermark, 10);
  CHECK(none.objects.empty());
  append_file(s.changes, "p,cn\n2,add,b\n");
  CHECK(summary(delta_import(*s.connector, none.watermark, 10).objects) ==
        std::vector<std::string>{"1:2"});
}
