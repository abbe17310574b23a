// Benchmark: whole sync cycles with the demo's rules (examples/demo/rules), through the same
// path the CLI takes: HR (CSV) and Badges (CSV) into the metaverse, provisioning into the
// Directory (LDIF). Every connector is set up the way a large deployment runs file systems:
// Delta imports read change files, and the Directory's exports append change records that its
// Delta import reads back (export_mode append), so that a Delta cycle touches only the changes.
//
//   idsync-bench-sync-cycle [--rows N] [--changes N] [--rounds N] [--rules DIR] [--keep DIR]
//
// Generates N HR rows (and a badge for every fourth person), runs an Initial cycle (full
// imports, full syncs, exports), a Delta cycle whose Directory import confirms that export,
// then, --rounds times, changes --changes HR titles through HR's change file and runs a Delta
// cycle (each round's Directory import confirms the round before's export), each once the
// store's background compactions have finished. Prints seconds, objects/s and peak resident
// memory per cycle, the bytes the process read from the disk meanwhile (what the page cache
// did not hold: a Delta cycle's first reads of a large store), and each step's time, so that
// where the time goes is visible.
#include <sys/resource.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "runtime/sync_cycle.hpp"

namespace fs = std::filesystem;

#ifndef IDSYNC_DEMO_RULES
#define IDSYNC_DEMO_RULES ""
#endif

namespace {

const char* const kDepartments[] = {"Engineering", "Sales", "Finance", "Research", "Support"};

std::string hr_line(uint64_t i, const char* change, const char* title_prefix) {
  char line[512];
  const int n =
      std::snprintf(line, sizeof line,
                    "%s,%llu,Given%llu,Surname%llu,Given%llu "
                    "Surname%llu,user%llu@contoso.example,%s,%s %llu,%llu,"
                    "SMTP:user%llu@contoso.example\n",
                    change, (unsigned long long)i, (unsigned long long)i, (unsigned long long)i,
                    (unsigned long long)i, (unsigned long long)i, (unsigned long long)i,
                    kDepartments[i % 5], title_prefix, (unsigned long long)(i % 97),
                    (unsigned long long)(i / 10 + 1), (unsigned long long)i);
  return std::string(line, static_cast<size_t>(n));
}

constexpr const char* kHrHeader =
    "changeType,employeeId,givenName,sn,displayName,mail,department,title,manager,proxyAddresses\n";

void generate(const fs::path& dir, uint64_t rows) {
  std::ofstream hr(dir / "hr.csv", std::ios::binary);
  hr << kHrHeader;
  for (uint64_t i = 1; i <= rows; ++i) hr << hr_line(i, "state", "Title");
  std::ofstream changes(dir / "hr-changes.csv", std::ios::binary);
  changes << kHrHeader;
  constexpr const char* kBadgesHeader =
      "changeType,badgeId,employeeId,mail,displayName,department\n";
  std::ofstream badges(dir / "badges.csv", std::ios::binary);
  badges << kBadgesHeader;
  for (uint64_t i = 4; i <= rows; i += 4)
    badges << "state,B-" << i << "," << i << ",badge" << i << "@contoso.example,Badge " << i << ","
           << kDepartments[i % 5] << "\n";
  std::ofstream(dir / "badges-changes.csv", std::ios::binary) << kBadgesHeader;
  std::ofstream(dir / "directory.ldif").flush();
}

void write_manifest(const fs::path& dir, const fs::path& rules) {
  std::ofstream m(dir / "idsync.json");
  m << R"({
  "store": {"path": "state/store"},
  "rules": {"path": )"
    << "\"" << rules.string() << "\""
    << R"(},
  "connectors": [
    {"name": "HR", "type": "file",
     "config": {"path": "hr.csv", "format": "csv", "anchor_column": "employeeId", "object_type": "person",
                "multi_value_separator": ";", "delta_mode": "change_file", "change_file": "hr-changes.csv",
                "change_type_column": "changeType"}},
    {"name": "Badges", "type": "file",
     "config": {"path": "badges.csv", "format": "csv", "anchor_column": "badgeId", "object_type": "person",
                "delta_mode": "change_file", "change_file": "badges-changes.csv",
                "change_type_column": "changeType"}},
    {"name": "Directory", "type": "file", "export_batch_size": 5000,
     "config": {"path": "directory.ldif", "format": "ldif", "anchor_attribute": "uid",
                "object_type": "inetOrgPerson", "delta_mode": "change_file",
                "change_file": "directory-changes.ldif", "export_mode": "append"}}
  ]
})";
}

// Bytes this process has had read from the storage device (/proc/self/io read_bytes: page
// cache hits do not count); 0 where the kernel does not report it.
uint64_t disk_read_bytes() {
  std::ifstream io("/proc/self/io");
  std::string field;
  uint64_t value = 0;
  while (io >> field >> value)
    if (field == "read_bytes:") return value;
  return 0;
}

long peak_rss_kib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

bool timed_cycle(idsync::runtime::Runtime& rt, idsync::manifest::SyncCyclePolicy policy,
                 const char* label, uint64_t objects) {
  const uint64_t read_before = disk_read_bytes();
  const auto start = std::chrono::steady_clock::now();
  const auto report = idsync::runtime::run_sync_cycle(rt, policy, {});
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf(
      "%s objects=%llu seconds=%.3f objects_per_second=%.0f peak_rss_mib=%.1f "
      "disk_read_mib=%.1f\n",
      label, (unsigned long long)objects, secs, static_cast<double>(objects) / secs,
      peak_rss_kib() / 1024.0, static_cast<double>(disk_read_bytes() - read_before) / (1 << 20));
  for (const auto& run : report.runs)
    for (const auto& s : run.steps)
      std::printf(
          "  %-9s %-12s %-26s %7.3f s  objects=%llu adds=%llu updates=%llu "
          "projections=%llu joins=%llu export_adds=%llu export_updates=%llu\n",
          run.connector.c_str(), s.step.c_str(), s.result.status.c_str(),
          static_cast<double>(s.ended_unix_ms - s.started_unix_ms) / 1000.0,
          (unsigned long long)s.result.counters.objects, (unsigned long long)s.result.counters.adds,
          (unsigned long long)s.result.counters.updates,
          (unsigned long long)s.result.counters.projections,
          (unsigned long long)s.result.counters.joins,
          (unsigned long long)s.result.counters.export_adds,
          (unsigned long long)s.result.counters.export_updates);
  if (!report.ok()) std::cerr << label << ": a step did not succeed\n";
  return report.ok();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Sync cycle benchmark"};
  uint64_t rows = 1000000;
  uint64_t changes = 1000;
  uint64_t rounds = 3;
  std::string keep;
  std::string rules = IDSYNC_DEMO_RULES;
  app.add_option("--rows", rows, "People in the generated HR file");
  app.add_option("--changes", changes, "HR rows changed before each Delta cycle");
  app.add_option("--rounds", rounds, "Delta cycles with --changes changes each (each is timed)")
      ->check(CLI::Range(1, 100));
  app.add_option("--rules", rules, "Sync rules folder (default: the demo's)");
  app.add_option("--keep", keep, "Work in this folder and keep it (default: a temp folder)");
  CLI11_PARSE(app, argc, argv);
  if (rules.empty() || !fs::is_directory(rules)) {
    std::cerr << "no rules folder; pass --rules DIR\n";
    return 2;
  }
  changes = std::min(changes, rows);

  const fs::path dir =
      keep.empty() ? fs::temp_directory_path() / ("idsync-bench-cycle-" + std::to_string(getpid()))
                   : fs::path(keep);
  fs::remove_all(dir);
  fs::create_directories(dir);
  generate(dir, rows);
  write_manifest(dir, fs::absolute(rules));

  idsync::runtime::Runtime rt(dir / "idsync.json");
  if (!timed_cycle(rt, idsync::manifest::SyncCyclePolicy::kInitial, "initial-cycle", rows))
    return 1;
  // The first Delta cycle's Directory import confirms every object the Initial cycle exported:
  // timed apart, so that the next one shows what a Delta cycle with only the HR changes costs.
  if (!timed_cycle(rt, idsync::manifest::SyncCyclePolicy::kDelta, "confirming-delta-cycle", 0))
    return 1;
  // Each Delta cycle is timed on a settled store. The Initial and confirming cycles can leave
  // RocksDB compactions running (seconds of them at a million objects), which a real
  // deployment has finished long before its next scheduled cycle (30 minutes by default);
  // timed beside them, the first Delta cycle would measure that debt and not its own cost.
  auto settle = [&] {
    const auto start = std::chrono::steady_clock::now();
    while (rt.store().background_work_pending() &&
           std::chrono::steady_clock::now() - start < std::chrono::minutes(10))
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::printf("settled after %.1f s of background compaction\n",
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  };
  for (uint64_t round = 1; round <= rounds; ++round) {
    settle();
    {
      std::ofstream out(dir / "hr-changes.csv", std::ios::binary | std::ios::app);
      // Spread over the whole id range, so the changes touch the whole store; each round
      // writes new titles, so every row is a change.
      const std::string title = "Changed" + std::to_string(round);
      const uint64_t stride = std::max<uint64_t>(1, rows / changes);
      for (uint64_t k = 0, i = 1; k < changes; ++k, i += stride)
        out << hr_line(i, "state", title.c_str());
    }
    const std::string label = "delta-cycle-" + std::to_string(round);
    if (!timed_cycle(rt, idsync::manifest::SyncCyclePolicy::kDelta, label.c_str(), changes))
      return 1;
  }
  if (keep.empty()) fs::remove_all(dir);
  return 0;
}
