// Delta import by snapshot comparison: what is detected, watermarks and generations, resuming,
// and refusals of stale state.
#include <catch2/catch.hpp>

#include "state_token.hpp"
#include "support.hpp"

using namespace idsync::file;
using namespace filetest;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

struct Setup {
  TempDir dir;
  std::string file;
  std::string state;
  ConfigBuilder config;
  std::unique_ptr<FileConnector> connector;
  Setup(const std::string& content, const std::string& format = "csv") {
    state = dir / "state";
    make_dir(state);
    file = dir / ("people." + format);
    write_file(file, content);
    config.set("path", file).set("format", format);
    if (format == "csv")
      config.set("anchor_column", "id");
    else
      config.set("anchor_attribute", format == "ldif" ? "entryUUID" : "id");
    connector = config.create(state);
  }
};

const std::string kBefore =
    "id,cn,mail\n"
    "E1,Ann,a@x\n"
    "E2,Bob,b@x\n"
    "E3,Cid,c@x\n"
    "E4,Dee,d1@x;d2@x\n"
    "E5,Eve,e@x\n"
    "E6,Fay,f@x\n";
// E2 changed, E3 gone, E4's values reordered (no change), E6 moved (no change), E7 new.
const std::string kAfter =
    "id,cn,mail\n"
    "E6,Fay,f@x\n"
    "E1,Ann,a@x\n"
    "E2,Bob,bob@x\n"
    "E4,Dee,d2@x;d1@x\n"
    "E5,Eve,e@x\n"
    "E7,Gus,g@x\n";

std::vector<std::string> summary(const std::vector<Obj>& objs) {
  std::vector<std::string> out;
  for (const Obj& o : objs)
    out.push_back(std::string(o.change == IDSYNC_CHANGE_DELETE ? "delete " : "state ") + o.anchor);
  return out;
}

}  // namespace

TEST_CASE("snapshot delta: new, changed and deleted objects, nothing else", "[delta]") {
  Setup s(kBefore);
  const ImportRun full = full_import(*s.connector, 100);
  CHECK(s.connector->current_watermark() == full.watermark);
  replace_file(s.file, kAfter);
  const ImportRun delta = delta_import(*s.connector, full.watermark, 100);
  CHECK(summary(delta.objects) == std::vector<std::string>{"state E2", "state E7", "delete E3"});
  CHECK(delta.objects[0].attrs ==
        std::vector<Attr>{rep("id", {"E2"}), rep("cn", {"Bob"}), rep("mail", {"bob@x"})});
  CHECK(delta.objects[2].type == "person");
  CHECK(delta.objects[2].attrs.empty());
  CHECK(delta.watermark != full.watermark);
  CHECK(s.connector->current_watermark() == delta.watermark);
  // Nothing changed since: nothing to import.
  const ImportRun again = delta_import(*s.connector, delta.watermark, 100);
  CHECK(again.objects.empty());
  CHECK(again.watermark != delta.watermark);
  // The state folder keeps the newest generations only.
  CHECK(s.dir.entries("state").size() <= 3);
}

TEST_CASE("snapshot delta: the same for LDIF and JSON Lines", "[delta]") {
  {
    Setup s(
        "dn: cn=a\nentryUUID: 1\ncn: a\n\ndn: cn=b\nentryUUID: 2\ncn: b\n\ndn: cn=c\nentryUUID: "
        "3\ncn: c\n",
        "ldif");
    const ImportRun full = full_import(*s.connector, 2);
    replace_file(s.file,
                 "dn: cn=b\nentryUUID: 2\ncn: b\n\ndn: cn=a,o=moved\nentryUUID: 1\ncn: a\n\ndn: "
                 "cn=d\nentryUUID: 4\ncn: d\n");
    const ImportRun delta = delta_import(*s.connector, full.watermark, 2);
    CHECK(summary(delta.objects) == std::vector<std::string>{"state 1", "state 4", "delete 3"});
    CHECK(delta.objects[0].dn == "cn=a,o=moved");  // a DN change is a change
  }
  {
    Setup s("{\"id\": \"1\", \"n\": 1}\n{\"id\": \"2\", \"n\": 2}\n{\"id\": \"3\", \"s\": \"x\"}\n",
            "jsonl");
    const ImportRun full = full_import(*s.connector, 2);
    // Key order is no change.
    replace_file(
        s.file,
        "{\"id\": \"1\", \"n\": 1}\n{\"n\": 2, \"id\": \"2\"}\n{\"id\": \"3\", \"s\": \"y\"}\n");
    const ImportRun delta = delta_import(*s.connector, full.watermark, 2);
    CHECK(summary(delta.objects) == std::vector<std::string>{"state 3"});
    // "1" (a string) makes "n" text in the whole file's schema: both objects carrying n change
    // for the host (their value type does), and are imported again.
    replace_file(s.file,
                 "{\"id\": \"1\", \"n\": \"1\"}\n{\"n\": 2, \"id\": \"2\"}\n{\"id\": \"3\", \"s\": "
                 "\"y\"}\n");
    const ImportRun typed = delta_import(*s.connector, delta.watermark, 2);
    CHECK(summary(typed.objects) == std::vector<std::string>{"state 1", "state 2"});
    CHECK(typed.objects[1].attr("n")->type == IDSYNC_VALUE_STRING);
  }
}

TEST_CASE("snapshot delta: resuming at every page boundary, in both phases", "[delta][resume]") {
  std::string before = "id,cn\n", after = "id,cn\n";
  for (int i = 1; i <= 30; ++i) {
    before += "E" + std::to_string(i) + ",v" + std::to_string(i) + "\n";
    if (i % 3 == 0) continue;  // 10 deletes
    after += "E" + std::to_string(i) + ",v" + std::to_string(i) + (i % 4 == 0 ? "x" : "") +
             "\n";  // changes
  }
  for (int i = 31; i <= 35; ++i) after += "E" + std::to_string(i) + ",new\n";  // 5 adds
  for (uint32_t page : {1u, 2u, 4u, 7u}) {
    Setup s(before);
    const ImportRun full = full_import(*s.connector, page);
    replace_file(s.file, after);
    const ImportRun whole = delta_import(*s.connector, full.watermark, page);
    REQUIRE(whole.objects.size() == 5 + 5 + 10);
    bool saw_delete_phase = false;
    for (std::size_t k = 0; k < whole.checkpoints.size(); ++k) {
      INFO("page " << page << " resume after page " << k + 1);
      saw_delete_phase |= whole.checkpoints[k].find("phase=delete") != std::string::npos;
      const ImportRun rest = delta_import(*s.connector, full.watermark, page, whole.checkpoints[k]);
      CHECK(rest.objects == std::vector<Obj>(whole.objects.begin() + whole.committed_after_page[k],
                                             whole.objects.end()));
    }
    CHECK(saw_delete_phase);
  }
}

TEST_CASE("snapshot delta: an older watermark can run again until the host moves on", "[delta]") {
  Setup s(kBefore);
  const ImportRun full = full_import(*s.connector, 100);
  replace_file(s.file, kAfter);
  const ImportRun d1 = delta_import(*s.connector, full.watermark, 100);
  // The host lost d1's end: the same delta runs again from the same watermark.
  const ImportRun d1again = delta_import(*s.connector, full.watermark, 100);
  CHECK(d1again.objects == d1.objects);
  // Once the host used a newer watermark, the old base is dropped.
  delta_import(*s.connector, d1again.watermark, 100);
  idsync_error_kind kind = IDSYNC_ERR_NONE;
  CHECK_THAT(error_of([&] { delta_import(*s.connector, full.watermark, 100); }, &kind),
             StartsWith("snapshot ") &&
                 Contains("cannot be opened (No such file or directory); run a full import"));
  CHECK(kind == IDSYNC_ERR_PRECONDITION);
}

TEST_CASE("snapshot delta: stale, foreign or missing state is a precondition error",
          "[delta][errors]") {
  Setup s(kBefore);
  const ImportRun full = full_import(*s.connector, 100);
  idsync_error_kind kind = IDSYNC_ERR_NONE;
  CHECK(error_of([&] { delta_import(*s.connector, "", 100); }, &kind) ==
        "no watermark: run a full import first");
  CHECK(kind == IDSYNC_ERR_PRECONDITION);
  kind = IDSYNC_ERR_NONE;
  CHECK(error_of([&] { delta_import(*s.connector, "garbage", 100); }, &kind) ==
        "the watermark was not made by this version of the file connector (it does not start with "
        "idsync-file/1); "
        "run a full import");
  CHECK(kind == IDSYNC_ERR_PRECONDITION);

  StateToken wm = StateToken::parse(full.watermark, "watermark");
  StateToken other = wm;
  other.set_hex("nonce", wm.get_hex("nonce") ^ 1);
  kind = IDSYNC_ERR_NONE;
  CHECK(error_of([&] { delta_import(*s.connector, other.text(), 100); }, &kind) ==
        "the snapshot the watermark names (generation 1) is not in the state folder any more; run "
        "a full import");
  CHECK(kind == IDSYNC_ERR_PRECONDITION);
  other = wm;
  other.set("mode", "change_file");
  CHECK(error_of([&] { delta_import(*s.connector, other.text(), 100); }) ==
        "the watermark belongs to another operation (mode=change_file, expected snapshot); run a "
        "full import");

  // Another configuration (here: another attribute filter) cannot use this snapshot.
  auto changed = s.config.list("attributes", {"cn"}).create(s.state);
  kind = IDSYNC_ERR_NONE;
  CHECK(error_of([&] { delta_import(*changed, full.watermark, 100); }, &kind) ==
        "the configuration changed since the watermark was made (path, format, anchor, columns or "
        "attributes); run a "
        "full import");
  CHECK(kind == IDSYNC_ERR_PRECONDITION);
  CHECK(error_of([&] { changed->current_watermark(); }) ==
        "the latest snapshot was made under another configuration: run a full import");

  // A damaged snapshot file.
  const std::string snap = s.state + "/snapshot-1.bin";
  write_file(snap, read_file(snap).substr(0, 60));
  CHECK_THAT(
      error_of([&] { delta_import(*s.connector, full.watermark, 100); }, &kind),
      StartsWith("snapshot ") &&
          Contains("is damaged (an entry runs past the end of the file); run a full import"));
  CHECK(kind == IDSYNC_ERR_PRECONDITION);
  // A full import recovers.
  const ImportRun again = full_import(*s.connector, 100);
  CHECK(delta_import(*s.connector, again.watermark, 100).objects.empty());
}

TEST_CASE("snapshot delta: without a state folder there is no snapshot and no delta",
          "[delta][errors]") {
  TempDir dir;
  write_file(dir / "p.csv", kBefore);
  auto c = ConfigBuilder().set("path", dir / "p.csv").set("anchor_column", "id").create("");
  const ImportRun full = full_import(*c, 100);
  CHECK(full.watermark.empty());
  CHECK(error_of([&] { delta_import(*c, "x", 100); }) ==
        "snapshot delta import needs a state folder, and the host gave none");
  CHECK(error_of([&] { c->current_watermark(); }) ==
        "snapshot delta import needs a state folder, and the host gave none");
}

TEST_CASE("snapshot delta: current watermark before any full import", "[delta][errors]") {
  Setup s(kBefore);
  idsync_error_kind kind = IDSYNC_ERR_NONE;
  CHECK(error_of([&] { s.connector->current_watermark(); }, &kind) ==
        "no snapshot yet: run a full import first");
  CHECK(kind == IDSYNC_ERR_PRECONDITION);
}

TEST_CASE("snapshot delta: bad input in the current file is reported as in a full import",
          "[delta][errors]") {
  Setup s(kBefore);
  const ImportRun full = full_import(*s.connector, 100);
  replace_file(s.file, kAfter + "E1,dup,x\n");
  CHECK(error_of([&] { delta_import(*s.connector, full.watermark, 100); }) ==
        "people.csv:8: duplicate anchor \"E1\" (first at line 3)");
  // The failed delta committed no snapshot: the watermark still works.
  replace_file(s.file, kAfter);
  CHECK(delta_import(*s.connector, full.watermark, 100).objects.size() == 3);
}

TEST_CASE("snapshot delta: temporary files of an interrupted import are cleaned up", "[delta]") {
  Setup s(kBefore);
  write_file(s.state + "/.snapshot-2.bin.tmp-AbC123", "left by a crash");
  full_import(*s.connector, 100);
  CHECK(s.dir.entries("state") == std::vector<std::string>{"snapshot-1.bin"});
}
