// Full import through the connector: paging, checkpoints and resuming, cancellation, and what
// bad input does to the pages.
#include <catch2/catch.hpp>

#include "state_token.hpp"
#include "support.hpp"

using namespace idsync::file;
using namespace filetest;
using Catch::Matchers::StartsWith;

namespace {

// A CSV with multi-line quoted fields, so that byte offsets and line numbers differ.
std::string people_csv(int n, int first = 1) {
  std::string s = "id,cn,note\n";
  for (int i = first; i < first + n; ++i)
    s += "E" + std::to_string(i) + ",Person " + std::to_string(i) +
         (i % 3 ? ",plain\n" : ",\"two\nlines, " + std::to_string(i) + "\"\n");
  return s;
}

std::string people_ldif(int n) {
  std::string s = "version: 1\n";
  for (int i = 1; i <= n; ++i)
    s += "\n# person " + std::to_string(i) + "\ndn: cn=p" + std::to_string(i) +
         ",dc=x\nentryUUID: u" + std::to_string(i) + "\ncn: Person\n " + std::to_string(i) +
         "\nmail: p" + std::to_string(i) + "@x\n";
  return s;
}

std::string people_jsonl(int n) {
  std::string s;
  for (int i = 1; i <= n; ++i)
    s += "{\"id\": \"u" + std::to_string(i) + "\", \"n\": " + std::to_string(i) +
         ", \"tags\": [\"a\", \"b\"]}\n" + (i % 4 == 0 ? "\n" : "");
  return s;
}

struct Setup {
  TempDir dir;
  std::string file;
  std::unique_ptr<FileConnector> connector;
  Setup(const std::string& format, const std::string& content) {
    make_dir(dir / "state");
    ConfigBuilder b;
    b.set("format", format);
    if (format == "csv") {
      file = dir / "people.csv";
      b.set("anchor_column", "id");
    } else {
      file = dir / ("people." + format);
      b.set("anchor_attribute", format == "ldif" ? "entryUUID" : "id");
    }
    write_file(file, content);
    b.set("path", file);
    connector = b.create(dir / "state");
  }
};

}  // namespace

TEST_CASE("full import: pages of page_size with a checkpoint after each", "[full]") {
  Setup s("csv", people_csv(10));
  const ImportRun run = full_import(*s.connector, 3);
  REQUIRE(run.objects.size() == 10);
  CHECK(run.checkpoints.size() == 3);
  CHECK(run.committed_after_page == std::vector<std::size_t>{3, 6, 9});
  for (int i = 0; i < 10; ++i) {
    CHECK(run.objects[i].change == IDSYNC_CHANGE_STATE);
    CHECK(run.objects[i].anchor == "E" + std::to_string(i + 1));
    CHECK(run.objects[i].type == "person");
  }
  CHECK(run.objects[2].values("note") == std::vector<std::string>{"two\nlines, 3"});
  // The checkpoint after row E3 (which spans lines 4-5) points at line 6 and its byte offset.
  const StateToken cp = StateToken::parse(run.checkpoints[0], "checkpoint");
  CHECK(cp.get("op") == "full");
  CHECK(cp.get_u64("line") == 6);
  CHECK(cp.get_u64("off") == people_csv(3).size());
  CHECK(cp.get_u64("n") == 3);
  CHECK_THAT(run.watermark, StartsWith("idsync-file/1;cfg="));
  CHECK(run.watermark.find("mode=snapshot") != std::string::npos);
}

TEST_CASE("full import: resuming at every page boundary gives the rest of an uninterrupted read",
          "[full][resume]") {
  const std::vector<std::pair<std::string, std::string>> inputs = {
      {"csv", people_csv(23)}, {"ldif", people_ldif(23)}, {"jsonl", people_jsonl(23)}};
  for (const auto& [format, content] : inputs) {
    for (uint32_t page : {1u, 2u, 5u, 7u, 23u}) {
      Setup s(format, content);
      const ImportRun whole = full_import(*s.connector, page);
      REQUIRE(whole.objects.size() == 23);
      for (std::size_t k = 0; k < whole.checkpoints.size(); ++k) {
        INFO(format << " page " << page << " resume after page " << k + 1);
        const ImportRun rest = full_import(*s.connector, page, whole.checkpoints[k]);
        const std::vector<Obj> expected(whole.objects.begin() + whole.committed_after_page[k],
                                        whole.objects.end());
        CHECK(rest.objects == expected);
        // The later checkpoints are the same as those of the uninterrupted run.
        CHECK(rest.checkpoints ==
              std::vector<std::string>(whole.checkpoints.begin() + k + 1, whole.checkpoints.end()));
      }
    }
  }
}

TEST_CASE("full import: a checkpoint against a changed or replaced file is refused",
          "[full][resume]") {
  Setup s("csv", people_csv(10));
  const ImportRun whole = full_import(*s.connector, 4);
  idsync_error_kind kind = IDSYNC_ERR_NONE;
  SECTION("appended to") {
    append_file(s.file, "E99,x,y\n");
    const std::string m =
        error_of([&] { full_import(*s.connector, 4, whole.checkpoints[0]); }, &kind);
    CHECK_THAT(m, StartsWith("people.csv changed since the interrupted full import (then inode "));
    CHECK(
        m.find("so its checkpoint cannot be resumed: restart the full import from the beginning") !=
        std::string::npos);
  }
  SECTION("replaced by an identical copy (new inode)") {
    replace_file(s.file, people_csv(10));
    CHECK_THAT(error_of([&] { full_import(*s.connector, 4, whole.checkpoints[0]); }, &kind),
               StartsWith("people.csv changed since the interrupted full import"));
  }
  CHECK(kind == IDSYNC_ERR_PRECONDITION);
}

TEST_CASE("full import: a checkpoint that is not on a record boundary is refused",
          "[full][resume]") {
  Setup s("csv", people_csv(10));
  const ImportRun whole = full_import(*s.connector, 4);
  StateToken cp = StateToken::parse(whole.checkpoints[0], "checkpoint");
  const uint64_t off = cp.get_u64("off");
  idsync_error_kind kind = IDSYNC_ERR_NONE;
  cp.set_u64("off", off - 1);
  CHECK(error_of([&] { full_import(*s.connector, 4, cp.text()); }, &kind) ==
        "the checkpoint does not match people.csv (no record ends at byte " +
            std::to_string(off - 1) +
            ", line 7 after 4 objects): restart the full import from the beginning");
  CHECK(kind == IDSYNC_ERR_PRECONDITION);
  cp.set_u64("off", off).set_u64("n", 3);
  CHECK_THAT(error_of([&] { full_import(*s.connector, 4, cp.text()); }),
             StartsWith("the checkpoint does not match people.csv"));
  CHECK(error_of([&] { full_import(*s.connector, 4, "not a checkpoint"); }, &kind) ==
        "the checkpoint was not made by this version of the file connector (it does not start with "
        "idsync-file/1); "
        "run a full import");
  CHECK(kind == IDSYNC_ERR_PRECONDITION);
}

TEST_CASE("full import: STOP at a page end propagates and the committed pages stand",
          "[full][cancel]") {
  Setup s("csv", people_csv(10));
  const ImportRun whole = full_import(*s.connector, 3);
  ImportSink sink;
  sink.stop_after_pages = 2;
  CHECK_THROWS_AS(run_full(*s.connector, sink, 3), idsync::sdk::Stopped);
  CHECK_FALSE(sink.finished);
  REQUIRE(sink.committed.size() == 6);
  const ImportRun rest = full_import(*s.connector, 3, sink.checkpoints.back());
  std::vector<Obj> all = sink.committed;
  all.insert(all.end(), rest.objects.begin(), rest.objects.end());
  CHECK(all == whole.objects);
}

TEST_CASE("full import: is_cancelled is polled between pages", "[full][cancel]") {
  Setup s("csv", people_csv(3000));
  ImportSink sink;
  sink.cancelled = true;
  CHECK_THROWS_AS(run_full(*s.connector, sink, 100000), idsync::sdk::Stopped);
  CHECK(sink.committed.empty());
  CHECK(sink.pending.size() < 3000);
}

TEST_CASE("full import: bad input stops the import before the bad page is committed",
          "[full][errors]") {
  std::string text = people_csv(7);
  text += "E8,broken\n" + people_csv(3, 9).substr(std::string("id,cn,note\n").size());
  Setup s("csv", text);
  ImportSink sink;
  idsync_error_kind kind = IDSYNC_ERR_NONE;
  const std::string m = error_of([&] { run_full(*s.connector, sink, 3); }, &kind);
  CHECK(m == "people.csv:11: expected 3 fields as in the header, found 2");
  CHECK(kind == IDSYNC_ERR_INVALID_VALUE);
  CHECK(sink.committed.size() == 6);    // pages 1 and 2
  CHECK(sink.checkpoints.size() == 2);  // page 3 (E7 and the bad row) never committed
  CHECK_FALSE(sink.finished);
}

TEST_CASE("full import: every object names its file and line as its source", "[full]") {
  // The host refuses a full import that repeats an anchor and quotes these sources; the plugin
  // keeps no set of anchors, so its memory does not grow with the file.
  {
    Setup s("csv", "id,cn\nE1,a\n\"E2\",\"b\nb\"\nE3,c\nE2,again\n");
    ImportSink sink;
    run_full(*s.connector, sink, 2);
    CHECK(sink.sources ==
          std::vector<std::string>{"people.csv:2", "people.csv:3", "people.csv:5", "people.csv:6"});
  }
  {
    Setup s("ldif", "dn: cn=a\nentryUUID: 1\n\ndn: cn=b\nentryUUID: 2\n\ndn: cn=c\nentryUUID: 1\n");
    ImportSink sink;
    run_full(*s.connector, sink, 2);
    CHECK(sink.sources ==
          std::vector<std::string>{"people.ldif:1", "people.ldif:4", "people.ldif:7"});
  }
  {
    Setup s("jsonl", "{\"id\": \"x\"}\n{\"id\": \"y\"}\n{\"id\": \"x\"}\n");
    ImportSink sink;
    run_full(*s.connector, sink, 2);
    CHECK(sink.sources ==
          std::vector<std::string>{"people.jsonl:1", "people.jsonl:2", "people.jsonl:3"});
  }
}

TEST_CASE("full import: a file that changes while it is read fails the import", "[full][errors]") {
  Setup s("csv", people_csv(10));
  ImportSink sink;
  bool appended = false;
  sink.on_page = [&] {
    if (!appended) append_file(s.file, "E99,late,x\n");
    appended = true;
  };
  idsync_error_kind kind = IDSYNC_ERR_NONE;
  CHECK(error_of([&] { run_full(*s.connector, sink, 3); }, &kind) ==
        "people.csv changed while it was being imported; run the import again");
  CHECK(kind == IDSYNC_ERR_PRECONDITION);
  CHECK_FALSE(sink.finished);
}

TEST_CASE("full import: only the object types the manifest selected", "[full]") {
  TempDir dir;
  write_file(dir / "p.csv", "id,kind,cn\n1,user,a\n2,group,b\n3,,c\n");
  auto c = ConfigBuilder()
               .set("path", dir / "p.csv")
               .set("anchor_column", "id")
               .set("object_type_column", "kind")
               .set("object_type", "user")
               .create(dir.path(), {"group"});
  const ImportRun run = full_import(*c, 10);
  REQUIRE(run.objects.size() == 1);
  CHECK(run.objects[0].anchor == "2");
  CHECK(run.objects[0].type == "group");
}

TEST_CASE("full import: every record carries the value type the schema declares",
          "[full][schema]") {
  TempDir dir;
  // "age" is a number in one record and text in another: STRING throughout. "guid" is binary
  // in one record, and its other value happens to be valid UTF-8: BINARY throughout.
  write_file(dir / "p.jsonl", "{\"id\": \"1\", \"age\": 30}\n{\"id\": \"2\", \"age\": \"n/a\"}\n");
  auto j = ConfigBuilder()
               .set("path", dir / "p.jsonl")
               .set("format", "jsonl")
               .set("anchor_attribute", "id")
               .create(dir.path());
  ImportRun run = full_import(*j, 10);
  REQUIRE(run.objects.size() == 2);
  CHECK(run.objects[0].attr("age")->type == IDSYNC_VALUE_STRING);
  CHECK(run.objects[0].values("age") == std::vector<std::string>{"30"});
  CHECK(run.objects[1].attr("age")->type == IDSYNC_VALUE_STRING);

  write_file(dir / "p.ldif",
             "dn: cn=a\nentryUUID: 1\nguid:: QUJD\n\ndn: cn=b\nentryUUID: 2\nguid:: /w==\n");
  auto l = ConfigBuilder()
               .set("path", dir / "p.ldif")
               .set("format", "ldif")
               .set("anchor_attribute", "entryUUID")
               .create(dir.path());
  run = full_import(*l, 10);
  REQUIRE(run.objects.size() == 2);
  CHECK(run.objects[0].attr("guid")->type == IDSYNC_VALUE_BINARY);
  CHECK(run.objects[0].values("guid") == std::vector<std::string>{"ABC"});
  CHECK(run.objects[1].attr("guid")->type == IDSYNC_VALUE_BINARY);
}

TEST_CASE("full import: the attributes reference_attributes names import as references",
          "[full][schema]") {
  TempDir dir;
  write_file(dir / "p.csv", "id,manager,member\n1,,\n2,1,\ng,,1;2\n");
  auto c = ConfigBuilder()
               .set("path", dir / "p.csv")
               .set("anchor_column", "id")
               .list("reference_attributes", {"manager", "member"})
               .create(dir.path());
  const ImportRun run = full_import(*c, 10);
  REQUIRE(run.objects.size() == 3);
  CHECK(run.objects[1].attr("manager")->type == IDSYNC_VALUE_REFERENCE);
  CHECK(run.objects[1].values("manager") == std::vector<std::string>{"1"});
  CHECK(run.objects[2].attr("member")->type == IDSYNC_VALUE_REFERENCE);
  CHECK(run.objects[2].values("member") == std::vector<std::string>{"1", "2"});

  // LDIF names attributes ignoring case, so does the option.
  write_file(dir / "p.ldif", "dn: cn=g,dc=x\nentryUUID: g\nMember: cn=a,dc=x\nmail: g@x\n");
  auto l = ConfigBuilder()
               .set("path", dir / "p.ldif")
               .set("format", "ldif")
               .set("anchor_attribute", "entryUUID")
               .list("reference_attributes", {"member"})
               .create(dir.path());
  const ImportRun ldif = full_import(*l, 10);
  REQUIRE(ldif.objects.size() == 1);
  CHECK(ldif.objects[0].attr("Member")->type == IDSYNC_VALUE_REFERENCE);
  CHECK(ldif.objects[0].attr("mail")->type == IDSYNC_VALUE_STRING);
}
