// Benchmark: Full Import of a generated CSV into a connector space, through the same path the
// CLI takes (manifest -> plugin host -> file connector -> importer -> RocksDB).
//
//   idsync-bench-full-import [--rows N] [--page-size N] [--reimport] [--keep DIR]
//
// Prints rows, seconds, objects/s and the process's peak resident memory. Run it at two sizes
// to see that memory does not grow with the file (the import streams). --reimport then runs
// the same Full Import again over the unchanged file (the nightly case: every object is
// looked up and found unchanged) and prints its figures too.
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "runtime/runtime.hpp"

namespace fs = std::filesystem;

namespace {

// A realistic HR export: ten columns, a multi-valued one, some quoting.
void generate_csv(const fs::path& file, uint64_t rows) {
  std::ofstream out(file, std::ios::binary);
  std::vector<char> buffer(1 << 20);
  out.rdbuf()->pubsetbuf(buffer.data(), static_cast<std::streamsize>(buffer.size()));
  out << "employeeId,givenName,sn,displayName,mail,department,title,manager,telephoneNumber,"
         "proxyAddresses\n";
  static const char* const departments[] = {"Engineering", "Sales", "Finance",
                                            "\"Research, Applied\"", "Support"};
  char line[512];
  for (uint64_t i = 1; i <= rows; ++i) {
    const int n = std::snprintf(line, sizeof line,
                                "E%07llu,Given%llu,Surname%llu,\"Surname%llu, "
                                "Given%llu\",user%llu@example.com,%s,Title %llu,E%07llu,"
                                "+1 555 %07llu,SMTP:user%llu@example.com;smtp:u%llu@example.org\n",
                                (unsigned long long)i, (unsigned long long)i, (unsigned long long)i,
                                (unsigned long long)i, (unsigned long long)i, (unsigned long long)i,
                                departments[i % 5], (unsigned long long)(i % 97),
                                (unsigned long long)(i / 10 + 1), (unsigned long long)i,
                                (unsigned long long)i, (unsigned long long)i);
    out.write(line, n);
  }
}

void write_manifest(const fs::path& dir, uint32_t page_size) {
  std::ofstream m(dir / "idsync.json");
  m << R"({
  "store": {"path": "state/store"},
  "connectors": [{
    "name": "HR", "type": "file",
    "config": {"path": "hr.csv", "format": "csv", "anchor_column": "employeeId", "object_type": "person"},
    "run_profiles": {"Full Import": [{"type": "full_import", "page_size": )"
    << page_size << R"(}]}
  }]
})";
}

long peak_rss_kib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Full Import benchmark"};
  uint64_t rows = 1000000;
  uint32_t page_size = 5000;
  std::string keep;
  bool reimport = false;
  app.add_option("--rows", rows, "Rows in the generated CSV");
  app.add_option("--page-size", page_size, "Objects per page");
  app.add_flag("--reimport", reimport, "Also time a second Full Import of the unchanged file");
  app.add_option("--keep", keep,
                 "Work in this folder and keep it (default: a temp folder, removed)");
  CLI11_PARSE(app, argc, argv);

  fs::path dir = keep.empty()
                     ? fs::temp_directory_path() / ("idsync-bench-" + std::to_string(getpid()))
                     : fs::path(keep);
  fs::remove_all(dir);
  fs::create_directories(dir);
  generate_csv(dir / "hr.csv", rows);
  write_manifest(dir, page_size);
  const long rss_before = peak_rss_kib();

  idsync::runtime::Runtime rt(dir / "idsync.json");
  const auto* decl = rt.manifest().find_connector("HR");
  auto timed_import = [&](const char* label, uint64_t expected_adds, uint64_t expected_unchanged) {
    const auto start = std::chrono::steady_clock::now();
    auto report = rt.run_profile(*decl, decl->run_profiles.front(), {});
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const auto& step = report.steps.front();
    if (!report.ok()) {
      std::cerr << label << " failed: " << step.result.status << ": " << step.result.message
                << "\n";
      return false;
    }
    const auto& c = step.result.counters;
    std::printf(
        "%s rows=%llu adds=%llu unchanged=%llu seconds=%.2f objects_per_second=%.0f "
        "peak_rss_mib=%.1f "
        "(before import %.1f) csv_mib=%.1f page_size=%u\n",
        label, (unsigned long long)rows, (unsigned long long)c.adds,
        (unsigned long long)c.unchanged, secs, static_cast<double>(c.objects) / secs,
        peak_rss_kib() / 1024.0, rss_before / 1024.0,
        static_cast<double>(fs::file_size(dir / "hr.csv")) / (1 << 20), page_size);
    if (c.adds != expected_adds || c.unchanged != expected_unchanged) {
      std::cerr << label << ": expected " << expected_adds << " adds and " << expected_unchanged
                << " unchanged\n";
      return false;
    }
    return true;
  };
  if (!timed_import("first-import", rows, 0)) return 1;
  if (reimport && !timed_import("re-import", 0, rows)) return 1;
  if (keep.empty()) fs::remove_all(dir);
  return 0;
}
