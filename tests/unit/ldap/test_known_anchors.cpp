// What the content-sync delta source remembers about the anchors the host holds, per
// watermark: the journal's records and base files (AnchorJournal), and the sets KnownAnchors
// derives from them — chains of committed deltas, additions of interrupted imports, resumed
// full imports, torn and corrupt journal tails, lost base files and compaction. Each test works
// in a folder of its own under the system's temporary folder.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <idsync/sdk.hpp>
#include <optional>
#include <string>
#include <vector>

#include "anchor_journal.hpp"
#include "known_anchors.hpp"

using namespace idsync::ldap;
namespace fs = std::filesystem;

namespace {

// A fresh folder, removed with everything in it at the end of the test.
class TempFolder {
 public:
  TempFolder() {
    static std::atomic<unsigned> counter{0};
    const auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
    path_ = fs::temp_directory_path() / ("idsync-ldap-anchors-" + std::to_string(::getpid()) + "-" +
                                         std::to_string(stamp) + "-" + std::to_string(counter++));
    fs::create_directories(path_);
  }
  ~TempFolder() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;

  const fs::path& path() const { return path_; }
  std::string str() const { return path_.string(); }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

// A distinct UUID per number (big endian in the last bytes, a marker in the first).
Uuid U(uint32_t n) {
  Uuid u{};
  u[0] = 0xa5;
  u[12] = static_cast<uint8_t>(n >> 24);
  u[13] = static_cast<uint8_t>(n >> 16);
  u[14] = static_cast<uint8_t>(n >> 8);
  u[15] = static_cast<uint8_t>(n);
  return u;
}

std::vector<Uuid> Us(std::initializer_list<uint32_t> ns) {
  std::vector<Uuid> out;
  for (uint32_t n : ns) out.push_back(U(n));
  return out;
}

std::vector<Uuid> range(uint32_t first, uint32_t count) {
  std::vector<Uuid> out;
  for (uint32_t i = 0; i < count; ++i) out.push_back(U(first + i));
  return out;
}

// The expected value of KnownAnchors::at: sorted and unique.
std::optional<std::vector<Uuid>> set_of(std::vector<Uuid> uuids) {
  std::sort(uuids.begin(), uuids.end());
  uuids.erase(std::unique(uuids.begin(), uuids.end()), uuids.end());
  return uuids;
}

std::vector<fs::path> files_with(const fs::path& folder, const std::string& extension) {
  std::vector<fs::path> out;
  for (const auto& entry : fs::directory_iterator(folder))
    if (entry.path().extension() == extension) out.push_back(entry.path());
  return out;
}

// The journal is the folder's one file that is not a base file.
fs::path journal_of(const TempFolder& folder) {
  std::vector<fs::path> out;
  for (const auto& entry : fs::directory_iterator(folder.path()))
    if (entry.path().extension() != ".anchors") out.push_back(entry.path());
  REQUIRE(out.size() == 1);
  return out[0];
}

void remove_base_files(const TempFolder& folder) {
  for (const auto& p : files_with(folder.path(), ".anchors")) fs::remove(p);
}

void flip_byte(const fs::path& file, uint64_t offset) {
  std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
  REQUIRE(f);
  f.seekg(static_cast<std::streamoff>(offset));
  char c = 0;
  f.get(c);
  f.seekp(static_cast<std::streamoff>(offset));
  f.put(static_cast<char>(c ^ 0x40));
}

void append_bytes(const fs::path& file, const std::string& bytes) {
  std::ofstream f(file, std::ios::binary | std::ios::app);
  f << bytes;
}

// A full import at `watermark` delivering `anchors` in pages of `page`.
void full_import(KnownAnchors& known, const std::string& watermark,
                 const std::vector<Uuid>& anchors, size_t page = 2) {
  for (size_t at = 0; at < anchors.size(); at += page) {
    const size_t n = std::min(page, anchors.size() - at);
    known.full_import_page(watermark, {anchors.begin() + at, anchors.begin() + at + n}, at);
  }
  REQUIRE(known.full_import_finished(watermark, anchors.size()));
}

JournalRecord record(JournalRecord::Type type, std::string from, std::string to,
                     std::vector<Uuid> added, std::vector<Uuid> deleted) {
  JournalRecord r;
  r.type = type;
  r.from = std::move(from);
  r.to = std::move(to);
  r.added = std::move(added);
  r.deleted = std::move(deleted);
  return r;
}

bool same(const JournalRecord& a, const JournalRecord& b) {
  return a.type == b.type && a.from == b.from && a.to == b.to && a.file == b.file &&
         a.count == b.count && a.file_checksum == b.file_checksum && a.added == b.added &&
         a.deleted == b.deleted;
}

}  // namespace

// ---- the checksum ----

TEST_CASE("anchor journal: checksum is 64-bit FNV-1a and can be continued") {
  CHECK(checksum("") == 0xcbf29ce484222325ull);
  CHECK(checksum("a") == 0xaf63dc4c8601ec8cull);
  CHECK(checksum("foobar") == 0x85944171f73967e8ull);
  CHECK(checksum("bar", checksum("foo")) == checksum("foobar"));
}

// ---- AnchorJournal ----

TEST_CASE("anchor journal: no file reads as empty and measures 0") {
  TempFolder dir;
  const AnchorJournal journal(dir.file("journal"));
  CHECK(journal.read_all().empty());
  CHECK(journal.size() == 0);
  CHECK_FALSE(fs::exists(dir.file("journal")));
}

TEST_CASE("anchor journal: records of every type read back field for field, in order") {
  TempFolder dir;
  JournalRecord base;
  base.type = JournalRecord::Type::base;
  base.from = std::string("{\"kind\":\"rfc4533\"}\0binary", 25);
  base.file = "full-0123.anchors";
  base.count = 0x0102030405060708ull;
  base.file_checksum = 0xfffffffffffffffeull;
  const JournalRecord adds = record(JournalRecord::Type::adds, "W1", "", Us({1, 2, 3}), {});
  const JournalRecord delta = record(JournalRecord::Type::delta, "W1", "W2", {}, Us({9, 8}));
  const JournalRecord empty = record(JournalRecord::Type::delta, "", "", {}, {});
  {
    AnchorJournal journal(dir.file("journal"));
    journal.append(base);
    journal.append(adds);
    journal.append(delta);
    journal.append(empty);
    CHECK(journal.size() == fs::file_size(dir.file("journal")));
  }
  const auto records = AnchorJournal(dir.file("journal")).read_all();
  REQUIRE(records.size() == 4);
  CHECK(same(records[0], base));
  CHECK(same(records[1], adds));
  CHECK(same(records[2], delta));
  CHECK(same(records[3], empty));
}

TEST_CASE("anchor journal: a torn last record is dropped and overwritten by the next append") {
  TempFolder dir;
  const std::string path = dir.file("journal");
  const JournalRecord first = record(JournalRecord::Type::adds, "W", "", Us({1}), {});
  const JournalRecord second = record(JournalRecord::Type::adds, "W", "", Us({2}), {});
  const JournalRecord third = record(JournalRecord::Type::adds, "W", "", Us({3}), {});
  AnchorJournal(path).append(first);
  const uint64_t after_first = fs::file_size(path);
  AnchorJournal(path).append(second);
  const uint64_t after_second = fs::file_size(path);

  for (uint64_t keep = after_first; keep < after_second; ++keep) {
    INFO("cut after byte " << keep);
    fs::resize_file(path, keep);  // a crash in the middle of the second append
    const auto torn = AnchorJournal(path).read_all();
    REQUIRE(torn.size() == 1);
    CHECK(same(torn[0], first));
    AnchorJournal journal(path);  // the next run
    journal.append(third);
    const auto records = AnchorJournal(path).read_all();
    REQUIRE(records.size() == 2);
    CHECK(same(records[0], first));
    CHECK(same(records[1], third));
    // Back to the state before the cut, for the next round.
    fs::resize_file(path, after_first);
    AnchorJournal(path).append(second);
    REQUIRE(fs::file_size(path) == after_second);
  }
}

TEST_CASE("anchor journal: a corrupt byte in the last record ends the journal before it") {
  TempFolder dir;
  const std::string path = dir.file("journal");
  const JournalRecord first = record(JournalRecord::Type::delta, "W0", "W1", Us({1}), Us({2}));
  const JournalRecord second = record(JournalRecord::Type::delta, "W1", "W2", Us({3}), Us({4}));
  AnchorJournal(path).append(first);
  const uint64_t after_first = fs::file_size(path);
  AnchorJournal(path).append(second);
  const uint64_t after_second = fs::file_size(path);

  // Any byte of the second record: its length, its checksum or its payload.
  for (uint64_t at = after_first; at < after_second; ++at) {
    INFO("byte " << at);
    flip_byte(path, at);
    const auto records = AnchorJournal(path).read_all();
    REQUIRE(records.size() == 1);
    CHECK(same(records[0], first));
    flip_byte(path, at);  // restore
    REQUIRE(AnchorJournal(path).read_all().size() == 2);
  }

  // After a crash the next run drops the corrupt record and appends after the good ones.
  flip_byte(path, after_second - 1);
  const JournalRecord third = record(JournalRecord::Type::adds, "W1", "", Us({5}), {});
  AnchorJournal(path).append(third);
  const auto records = AnchorJournal(path).read_all();
  REQUIRE(records.size() == 2);
  CHECK(same(records[0], first));
  CHECK(same(records[1], third));

  // Junk longer than the next record is cut, not left behind it.
  const uint64_t good = fs::file_size(path);
  append_bytes(path, std::string(200, '\x5a'));
  AnchorJournal(path).append(third);
  CHECK(fs::file_size(path) == good + (good - after_first));
  CHECK(AnchorJournal(path).read_all().size() == 3);
}

TEST_CASE("anchor journal: the same object appends correctly after the file was cut short") {
  TempFolder dir;
  const std::string path = dir.file("journal");
  AnchorJournal journal(path);
  journal.append(record(JournalRecord::Type::adds, "W", "", Us({1}), {}));
  const uint64_t after_first = fs::file_size(path);
  journal.append(record(JournalRecord::Type::adds, "W", "", Us({2}), {}));
  fs::resize_file(path, fs::file_size(path) - 3);
  journal.append(record(JournalRecord::Type::adds, "W", "", Us({3}), {}));
  const auto records = journal.read_all();
  REQUIRE(records.size() == 2);
  CHECK(records[1].added == Us({3}));
  CHECK(fs::file_size(path) > after_first);
}

TEST_CASE("anchor journal: a journal without its complete header is started anew") {
  TempFolder dir;
  const std::string path = dir.file("journal");
  AnchorJournal(path).append(record(JournalRecord::Type::adds, "W", "", Us({1}), {}));
  const uint64_t full = fs::file_size(path);
  // The first append wrote the header too: cut inside it.
  fs::resize_file(path, 5);
  CHECK(AnchorJournal(path).read_all().empty());
  AnchorJournal(path).append(record(JournalRecord::Type::adds, "W", "", Us({2}), {}));
  const auto records = AnchorJournal(path).read_all();
  REQUIRE(records.size() == 1);
  CHECK(records[0].added == Us({2}));
  CHECK(fs::file_size(path) == full);

  // Something else entirely in the file.
  {
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    f << "this is not a journal at all, but long enough to hold a header";
  }
  CHECK(AnchorJournal(path).read_all().empty());
  AnchorJournal(path).append(record(JournalRecord::Type::adds, "W", "", Us({3}), {}));
  REQUIRE(AnchorJournal(path).read_all().size() == 1);
}

TEST_CASE("anchor journal: rewrite replaces every record") {
  TempFolder dir;
  const std::string path = dir.file("journal");
  AnchorJournal journal(path);
  for (uint32_t i = 0; i < 5; ++i)
    journal.append(record(JournalRecord::Type::adds, "W", "", Us({i}), {}));
  const JournalRecord kept = record(JournalRecord::Type::delta, "A", "B", Us({7}), Us({8}));
  journal.rewrite({kept});
  auto records = journal.read_all();
  REQUIRE(records.size() == 1);
  CHECK(same(records[0], kept));
  CHECK_FALSE(fs::exists(path + ".new"));
  // And appends continue after the rewritten content.
  journal.append(record(JournalRecord::Type::adds, "B", "", Us({9}), {}));
  records = AnchorJournal(path).read_all();
  REQUIRE(records.size() == 2);
  CHECK(records[1].added == Us({9}));

  journal.rewrite({});
  CHECK(journal.read_all().empty());
  CHECK(journal.size() > 0);  // the header stays
}

// ---- base files ----

TEST_CASE("base files: written whole, read back with their checksum") {
  TempFolder dir;
  const std::string path = dir.file("b.anchors");
  const std::vector<Uuid> anchors = range(1, 100);
  const uint64_t sum = write_base_file(path, anchors);
  CHECK(fs::file_size(path) == 100 * 16);
  CHECK(sum == checksum(std::string_view(reinterpret_cast<const char*>(anchors.data()), 1600)));
  CHECK(read_base_file(path, 100, sum) == anchors);
  // A wrong checksum, a count larger than the file, a missing file: unknown, not an error.
  CHECK_FALSE(read_base_file(path, 100, sum ^ 1));
  CHECK_FALSE(read_base_file(path, 101, sum));
  CHECK_FALSE(read_base_file(dir.file("missing.anchors"), 100, sum));
  // An altered anchor.
  flip_byte(path, 16 * 50 + 3);
  CHECK_FALSE(read_base_file(path, 100, sum));
  // Empty.
  const uint64_t empty = write_base_file(path, {});
  CHECK(empty == checksum(""));
  CHECK(read_base_file(path, 0, empty) == std::vector<Uuid>{});
}

TEST_CASE("base files: pages append after the first `before` anchors and seal keeps `count`") {
  TempFolder dir;
  const std::string path = dir.file("f.anchors");
  CHECK(append_to_base_file(path, 0, Us({1, 2})));
  CHECK(append_to_base_file(path, 2, Us({3, 4})));
  CHECK(append_to_base_file(path, 4, Us({5})));  // never committed
  // Resumed after page 2: the uncommitted page goes.
  CHECK(append_to_base_file(path, 4, Us({6, 7})));
  CHECK(fs::file_size(path) == 6 * 16);
  auto sum = seal_base_file(path, 6);
  REQUIRE(sum);
  CHECK(read_base_file(path, 6, *sum) == Us({1, 2, 3, 4, 6, 7}));
  // Sealing to fewer cuts the rest; to more than there is fails.
  sum = seal_base_file(path, 3);
  REQUIRE(sum);
  CHECK(read_base_file(path, 3, *sum) == Us({1, 2, 3}));
  CHECK_FALSE(seal_base_file(path, 4));
  // A resumption cuts the uncommitted pages even when the new page is shorter than they were.
  CHECK(append_to_base_file(path, 1, Us({9})));
  CHECK(fs::file_size(path) == 2 * 16);
  // A page whose predecessors are lost empties the file.
  CHECK_FALSE(append_to_base_file(path, 10, Us({8})));
  CHECK(fs::file_size(path) == 0);
}

// ---- KnownAnchors: full imports ----

TEST_CASE("known anchors: without a folder nothing is remembered") {
  KnownAnchors known("");
  CHECK_FALSE(known.enabled());
  known.full_import_page("W0", Us({1, 2}), 0);
  CHECK(known.full_import_finished("W0", 2));
  known.record_adds("W0", Us({3}));
  known.record_delta("W0", "W1", Us({4}), Us({1}));
  known.compact("W1");
  CHECK_FALSE(known.at("W0"));
  CHECK_FALSE(known.at("W1"));
}

TEST_CASE("known anchors: nothing is known before a full import") {
  TempFolder dir;
  const std::string folder = (dir.path() / "state").string();  // created on first write
  KnownAnchors known(folder);
  CHECK(known.enabled());
  CHECK_FALSE(known.at("W0"));
  known.record_delta("W0", "W1", Us({1}), {});
  known.record_adds("W1", Us({2}));
  CHECK(fs::exists(folder));
  CHECK_FALSE(known.at("W0"));
  CHECK_FALSE(known.at("W1"));
}

TEST_CASE("known anchors: a full import's pages make the set at its watermark, sorted") {
  TempFolder dir;
  KnownAnchors known(dir.str());
  const std::vector<Uuid> anchors = Us({9, 3, 7, 1, 5});
  full_import(known, "W0", anchors);
  CHECK(known.at("W0") == set_of(anchors));
  CHECK_FALSE(known.at("W1"));
  CHECK_FALSE(known.at(""));
  // Read again by another instance (the next run).
  CHECK(KnownAnchors(dir.str()).at("W0") == set_of(anchors));
}

TEST_CASE("known anchors: a full import of nothing knows the empty set") {
  TempFolder dir;
  KnownAnchors known(dir.str());
  REQUIRE(known.full_import_finished("W0", 0));
  CHECK(known.at("W0") == std::vector<Uuid>{});
}

TEST_CASE("known anchors: a resumed full import drops what followed anchors_before") {
  TempFolder dir;
  {
    KnownAnchors known(dir.str());
    known.full_import_page("W0", Us({1, 2}), 0);
    known.full_import_page("W0", Us({3, 4}), 2);
    known.full_import_page("W0", Us({5, 6}), 4);  // written, but the host never committed it
  }
  // The host resumes after its second page: 4 anchors committed.
  KnownAnchors known(dir.str());
  known.full_import_page("W0", Us({7, 8}), 4);
  known.full_import_page("W0", Us({9}), 6);
  REQUIRE(known.full_import_finished("W0", 7));
  CHECK(known.at("W0") == set_of(Us({1, 2, 3, 4, 7, 8, 9})));
}

TEST_CASE("known anchors: a full import whose base file lost its pages stays unknown") {
  TempFolder dir;
  KnownAnchors known(dir.str());
  SECTION("the file was removed under the import") {
    known.full_import_page("W0", Us({1, 2}), 0);
    remove_base_files(dir);
    known.full_import_page("W0", Us({3, 4}), 2);
    CHECK_FALSE(known.full_import_finished("W0", 4));
  }
  SECTION("the host claims more anchors than the pages brought") {
    known.full_import_page("W0", Us({1, 2}), 0);
    known.full_import_page("W0", Us({3, 4}), 2);
    CHECK_FALSE(known.full_import_finished("W0", 5));
  }
  CHECK_FALSE(known.at("W0"));
}

TEST_CASE("known anchors: a finished full import removes the files of abandoned ones") {
  TempFolder dir;
  KnownAnchors known(dir.str());
  full_import(known, "W0", Us({1, 2, 3}));
  known.full_import_page("Wx", Us({4, 5}), 0);  // abandoned
  REQUIRE(files_with(dir.path(), ".anchors").size() == 2);
  full_import(known, "W5", Us({6, 7}));
  // W0's base is still named by the journal; Wx's file is gone.
  CHECK(files_with(dir.path(), ".anchors").size() == 2);
  CHECK(known.at("W0") == set_of(Us({1, 2, 3})));
  CHECK(known.at("W5") == set_of(Us({6, 7})));
  CHECK_FALSE(known.at("Wx"));
}

TEST_CASE("known anchors: a newer full import is the base of its own watermark only") {
  TempFolder dir;
  KnownAnchors known(dir.str());
  full_import(known, "W0", Us({1, 2, 3}));
  known.record_delta("W0", "W1", Us({4}), Us({1}));
  full_import(known, "W5", Us({2, 3, 4, 10}));
  known.record_delta("W5", "W6", {}, Us({10}));
  CHECK(known.at("W1") == set_of(Us({2, 3, 4})));
  CHECK(known.at("W5") == set_of(Us({2, 3, 4, 10})));
  CHECK(known.at("W6") == set_of(Us({2, 3, 4})));
}

TEST_CASE("known anchors: a lost or altered base file makes its sets unknown") {
  TempFolder dir;
  KnownAnchors known(dir.str());
  full_import(known, "W0", Us({1, 2, 3}));
  known.record_delta("W0", "W1", Us({4}), Us({2}));
  REQUIRE(known.at("W1") == set_of(Us({1, 3, 4})));
  const auto bases = files_with(dir.path(), ".anchors");
  REQUIRE(bases.size() == 1);
  SECTION("lost") { fs::remove(bases[0]); }
  SECTION("altered") { flip_byte(bases[0], 20); }
  SECTION("cut short") { fs::resize_file(bases[0], 2 * 16); }
  CHECK_FALSE(known.at("W0"));
  CHECK_FALSE(known.at("W1"));
  CHECK_FALSE(KnownAnchors(dir.str()).at("W1"));
}

// ---- KnownAnchors: delta imports ----

TEST_CASE("known anchors: a committed delta's deletions hold at its end, not at its start") {
  TempFolder dir;
  KnownAnchors known(dir.str());
  full_import(known, "W0", Us({1, 2, 3}));
  known.record_adds("W0", Us({10}));                     // its first page
  known.record_delta("W0", "W1", Us({11}), Us({2, 3}));  // the rest, and its deletions
  CHECK(known.at("W1") == set_of(Us({1, 10, 11})));
  // At W0 the deletions may not have reached the host; the additions may have.
  CHECK(known.at("W0") == set_of(Us({1, 2, 3, 10, 11})));
}

TEST_CASE("known anchors: an interrupted delta's committed pages stay in the set") {
  TempFolder dir;
  {
    KnownAnchors known(dir.str());
    full_import(known, "W0", Us({1, 2}));
    known.record_delta("W0", "W1", Us({3}), {});
    // The next delta from W1 commits two pages and then dies before its import_end.
    known.record_adds("W1", Us({20, 21}));
    known.record_adds("W1", Us({22}));
  }
  KnownAnchors known(dir.str());
  // The host is still at W1, but may hold 20..22.
  CHECK(known.at("W1") == set_of(Us({1, 2, 3, 20, 21, 22})));
  // The retry from W1 finds them again and ends.
  known.record_delta("W1", "W2", Us({23}), Us({1}));
  CHECK(known.at("W2") == set_of(Us({2, 3, 20, 21, 22, 23})));
}

TEST_CASE("known anchors: a delta whose import_end never committed deletes nothing") {
  TempFolder dir;
  KnownAnchors known(dir.str());
  full_import(known, "W0", Us({1, 2, 3, 4}));
  known.record_delta("W0", "W1", {}, Us({1}));
  // From W1 to W2 deleting 2 and adding 30: written, but the host did not commit W2.
  known.record_delta("W1", "W2", Us({30}), Us({2}));
  // The host retries from W1; the server now ends at W3 and deletes 3 instead.
  known.record_delta("W1", "W3", Us({31}), Us({3}));

  // At W1 the abandoned delta's addition counts, its deletion does not.
  CHECK(known.at("W1") == set_of(Us({2, 3, 4, 30, 31})));
  // At W3 (chain W0 -> W1 -> W3) 2 is still there: only the chain's deletions count.
  CHECK(known.at("W3") == set_of(Us({2, 4, 30, 31})));
  // W2 was written and can be asked about, by its own chain.
  CHECK(known.at("W2") == set_of(Us({3, 4, 30, 31})));
  CHECK(known.at("W0") == set_of(Us({1, 2, 3, 4, 30, 31})));
}

TEST_CASE("known anchors: the last word on an anchor wins") {
  TempFolder dir;
  KnownAnchors known(dir.str());
  full_import(known, "W0", Us({1}));
  known.record_delta("W0", "W1", Us({5}), {});  // 5 added
  known.record_delta("W1", "W2", {}, Us({5}));  // then deleted on the chain
  CHECK(known.at("W2") == set_of(Us({1})));
  known.record_adds("W2", Us({5}));  // and added again by an interrupted import
  CHECK(known.at("W2") == set_of(Us({1, 5})));
  known.record_delta("W2", "W3", {}, Us({5, 1}));
  CHECK(known.at("W3") == set_of({}));
  // Within one record the addition wins over the deletion (too many, never too few).
  known.record_delta("W3", "W4", Us({6}), Us({6}));
  CHECK(known.at("W4") == set_of(Us({6})));
}

TEST_CASE("known anchors: a delta that stays at its watermark still counts") {
  TempFolder dir;
  KnownAnchors known(dir.str());
  full_import(known, "W0", Us({1, 2}));
  const uint64_t before = fs::file_size(journal_of(dir));
  known.record_delta("W0", "W0", {}, {});  // nothing happened: nothing written
  CHECK(fs::file_size(journal_of(dir)) == before);
  known.record_delta("W0", "W0", Us({3}), Us({1}));
  CHECK(known.at("W0") == set_of(Us({2, 3})));
  known.record_adds("W0", {});  // nothing written either
  CHECK(fs::file_size(journal_of(dir)) > before);
}

TEST_CASE("known anchors: a long chain of deltas") {
  TempFolder dir;
  KnownAnchors known(dir.str());
  std::vector<Uuid> expected = range(0, 50);
  full_import(known, "W0", expected, 7);
  for (uint32_t i = 0; i < 40; ++i) {
    const std::string from = "W" + std::to_string(i);
    const std::string to = "W" + std::to_string(i + 1);
    known.record_adds(from, Us({1000 + i}));
    known.record_delta(from, to, Us({2000 + i}), Us({i}));
    expected.erase(std::find(expected.begin(), expected.end(), U(i)));
    expected.push_back(U(1000 + i));
    expected.push_back(U(2000 + i));
  }
  CHECK(known.at("W40") == set_of(expected));
  CHECK(known.at("W40")->size() == 10 + 80);
  // At W20 all additions count, only the first 20 deletions.
  const auto at20 = known.at("W20");
  REQUIRE(at20);
  CHECK(at20->size() == 30 + 80);
  CHECK_FALSE(std::binary_search(at20->begin(), at20->end(), U(19)));
  CHECK(std::binary_search(at20->begin(), at20->end(), U(20)));
  CHECK(std::binary_search(at20->begin(), at20->end(), U(2039)));
}

// ---- KnownAnchors: the journal's tail ----

TEST_CASE("known anchors: a corrupt last record is ignored and the next append works") {
  TempFolder dir;
  {
    KnownAnchors known(dir.str());
    full_import(known, "W0", Us({1, 2, 3}));
    known.record_delta("W0", "W1", Us({4}), Us({1}));
  }
  const fs::path journal = journal_of(dir);
  const uint64_t good = fs::file_size(journal);
  {
    KnownAnchors known(dir.str());
    known.record_delta("W1", "W2", Us({5}), Us({2}));
  }
  flip_byte(journal, fs::file_size(journal) - 1);  // the crash damaged the last record
  KnownAnchors known(dir.str());
  CHECK_FALSE(known.at("W2"));
  CHECK(known.at("W1") == set_of(Us({2, 3, 4})));
  known.record_delta("W1", "W3", Us({6}), Us({3}));
  CHECK(known.at("W3") == set_of(Us({2, 4, 6})));
  CHECK(KnownAnchors(dir.str()).at("W3") == set_of(Us({2, 4, 6})));
  CHECK(fs::file_size(journal) > good);
}

TEST_CASE("known anchors: a torn last record is ignored and the next append works") {
  TempFolder dir;
  {
    KnownAnchors known(dir.str());
    full_import(known, "W0", Us({1, 2, 3}));
    known.record_adds("W0", Us({7}));
  }
  const fs::path journal = journal_of(dir);
  append_bytes(journal, std::string("\x40\x00\x00\x00\x01\x02\x03", 7));  // half a header
  KnownAnchors known(dir.str());
  CHECK(known.at("W0") == set_of(Us({1, 2, 3, 7})));
  known.record_delta("W0", "W1", {}, Us({3}));
  CHECK(KnownAnchors(dir.str()).at("W1") == set_of(Us({1, 2, 7})));
}

// ---- KnownAnchors: compaction ----

TEST_CASE("known anchors: a small journal is not compacted") {
  TempFolder dir;
  KnownAnchors known(dir.str());
  full_import(known, "W0", Us({1, 2}));
  known.record_delta("W0", "W1", Us({3}), Us({1}));
  const uint64_t before = fs::file_size(journal_of(dir));
  known.compact("W1");
  CHECK(fs::file_size(journal_of(dir)) == before);
  CHECK(known.at("W0") == set_of(Us({1, 2, 3})));
  CHECK(known.at("W1") == set_of(Us({2, 3})));
}

TEST_CASE("known anchors: compaction keeps the set at the committed watermark identical") {
  TempFolder dir;
  KnownAnchors known(dir.str());
  full_import(known, "W0", range(0, 100), 30);
  known.record_delta("W0", "W1", Us({500}), range(0, 10));
  // An interrupted import from W1 that brought many objects: the journal passes 1 MiB.
  const std::vector<Uuid> many = range(100000, 70000);
  known.record_adds("W1", many);
  known.record_adds("W1", Us({501}));
  known.record_delta("W1", "W2", {}, Us({50}));  // written, import_end not committed
  REQUIRE(fs::file_size(journal_of(dir)) > (1u << 20));
  const auto before = known.at("W1");
  REQUIRE(before);
  REQUIRE(before->size() == 90 + 1 + 70000 + 1);
  const std::vector<fs::path> old_bases = files_with(dir.path(), ".anchors");
  REQUIRE(old_bases.size() == 1);

  known.compact("W1");  // the host starts a delta import from W1

  CHECK(known.at("W1") == before);
  CHECK(KnownAnchors(dir.str()).at("W1") == before);
  CHECK(fs::file_size(journal_of(dir)) < 4096);
  CHECK_FALSE(fs::exists(old_bases[0]));
  CHECK(files_with(dir.path(), ".anchors").size() == 1);
  // Only W1 is known now.
  CHECK_FALSE(known.at("W0"));
  CHECK_FALSE(known.at("W2"));
  // And deltas build on the compacted base.
  known.record_delta("W1", "W3", Us({502}), Us({60, 100000}));
  auto expected = *before;
  expected.push_back(U(502));
  expected.erase(std::find(expected.begin(), expected.end(), U(60)));
  expected.erase(std::find(expected.begin(), expected.end(), U(100000)));
  CHECK(known.at("W3") == set_of(expected));
}

TEST_CASE("known anchors: compaction at a watermark of unknown set forgets everything") {
  TempFolder dir;
  KnownAnchors known(dir.str());
  full_import(known, "W0", Us({1, 2}));
  known.record_adds("W0", range(1000, 70000));
  REQUIRE(fs::file_size(journal_of(dir)) > (1u << 20));
  known.compact("Wunknown");
  CHECK_FALSE(known.at("W0"));
  CHECK_FALSE(known.at("Wunknown"));
  CHECK(files_with(dir.path(), ".anchors").empty());
  CHECK(fs::file_size(journal_of(dir)) < 4096);
}

TEST_CASE("known anchors: no compaction while a base file is larger than the journal") {
  TempFolder dir;
  KnownAnchors known(dir.str());
  full_import(known, "W0", range(0, 80000), 20000);  // 1.28 MB of base
  known.record_adds("W0", range(100000, 70000));     // 1.12 MB of journal
  const uint64_t journal_size = fs::file_size(journal_of(dir));
  REQUIRE(journal_size > (1u << 20));
  REQUIRE(journal_size < 80000 * 16);
  known.compact("W0");
  CHECK(fs::file_size(journal_of(dir)) == journal_size);
  CHECK(known.at("W0")->size() == 150000);
}

TEST_CASE("known anchors: compaction keeps the file of a full import in progress") {
  TempFolder dir;
  KnownAnchors known(dir.str());
  full_import(known, "W0", Us({1, 2}));
  known.record_adds("W0", range(1000, 70000));
  known.full_import_page("W9", Us({7, 8}), 0);  // started, not finished
  REQUIRE(files_with(dir.path(), ".anchors").size() == 2);
  const auto before = known.at("W0");
  known.compact("W0");
  CHECK(known.at("W0") == before);
  // The compacted base and the import's own file.
  CHECK(files_with(dir.path(), ".anchors").size() == 2);
  known.full_import_page("W9", Us({9}), 2);
  REQUIRE(known.full_import_finished("W9", 3));
  CHECK(known.at("W9") == set_of(Us({7, 8, 9})));
  CHECK(known.at("W0") == before);
}
