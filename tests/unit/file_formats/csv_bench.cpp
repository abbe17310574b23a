// Measures CSV import throughput on a generated file (default one million rows):
//   1. the tokenizer alone (CsvParser)
//   2. rows mapped to records (CsvReader: header roles, multi-value split)
//   3. the connector's full import into a sink that only counts (adds content hashing, the
//      snapshot file and paging)
//   4. a snapshot delta import of the unchanged file (every row compared with the snapshot)
// Usage: idsync_file_csv_bench [rows]. The file is generated in a mkdtemp folder under $TMPDIR
// and removed afterwards.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "csv_parser.hpp"
#include "csv_reader.hpp"
#include "file_connector.hpp"

using namespace idsync::file;

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

idsync::sdk::Config make_config(const std::vector<idsync_config_value>& v) {
  return {v.data(), v.size()};
}

}  // namespace

int main(int argc, char** argv) {
  const long rows = argc > 1 ? std::atol(argv[1]) : 1000000;
  const char* base = std::getenv("TMPDIR");
  std::string dir = std::string(base && *base ? base : "/tmp") + "/idsync-csv-bench-XXXXXX";
  if (!::mkdtemp(dir.data())) return 1;
  const std::string path = dir + "/people.csv";
  {
    std::ofstream f(path, std::ios::binary);
    f << "employeeId,givenName,sn,mail,title,department,telephoneNumber,manager\n";
    for (long i = 0; i < rows; ++i) {
      f << "E" << (1000000 + i) << ",Given" << (i % 977) << ",Surname" << (i % 7919) << ",g" << i
        << "@example.com;alias" << i << "@example.com,";
      if (i % 10 == 0)
        f << "\"Engineer, \"\"Senior\"\"\"";
      else
        f << "Engineer";
      f << ",Dept" << (i % 50) << ",+1 555 " << (1000000 + i % 9000000) << ",E"
        << (1000000 + i / 10) << "\n";
    }
  }
  const auto size = std::filesystem::file_size(path);
  std::printf("%ld rows, %.1f MB\n", rows, size / 1e6);

  {
    auto t0 = std::chrono::steady_clock::now();
    InputFile file(path);
    CsvParser parser(file, "people.csv", ',', false);
    CsvRow row;
    long n = 0;
    while (parser.next(row)) ++n;
    const double s = seconds_since(t0);
    std::printf("tokenizer:    %8.0f rows/s  (%.3f s, %.0f MB/s)\n", (n - 1) / s, s,
                size / 1e6 / s);
  }
  {
    auto t0 = std::chrono::steady_clock::now();
    InputFile file(path);
    FormatOptions o;
    o.anchor = "employeeId";
    CsvReader reader(file, o, ReadMode{});
    Record r;
    long n = 0, values = 0;
    while (reader.next(r)) {
      ++n;
      for (const auto& a : r.attributes()) values += static_cast<long>(a.values.size());
    }
    const double s = seconds_since(t0);
    std::printf("records:      %8.0f rows/s  (%.3f s, %ld values)\n", n / s, s, values);
  }
  {
    std::filesystem::create_directories(dir + "/state");
    const std::string anchor = "employeeId";
    auto spec = FileConnector::spec();
    std::vector<idsync_config_value> values;
    std::vector<std::string> texts;
    texts.reserve(spec.fields.size());
    for (const auto& fs : spec.fields) {
      idsync_config_value v{};
      v.struct_size = sizeof v;
      v.name = idsync::sdk::str(fs.name);
      v.type = fs.type;
      const std::string n = fs.name;
      if (n == "path" || n == "anchor_column") {
        texts.push_back(n == "path" ? path : anchor);
        v.is_set = 1;
        v.text = idsync::sdk::str(texts.back());
      }
      values.push_back(v);
    }
    idsync::sdk::CreateContext ctx{"bench", {}, dir + "/state", idsync::sdk::Diag(nullptr)};
    FileConnector c(make_config(values), ctx);
    struct Counter {
      long objects = 0;
      std::string watermark;
    } counter;
    idsync_import_sink sink{};
    sink.struct_size = sizeof sink;
    sink.host_ctx = &counter;
    sink.object_begin = [](void* ctx, const idsync_object_header*) {
      ++static_cast<Counter*>(ctx)->objects;
      return IDSYNC_OK;
    };
    sink.attribute = [](void*, const idsync_attr*) { return IDSYNC_OK; };
    sink.object_end = [](void*) { return IDSYNC_OK; };
    sink.page_end = [](void*, idsync_bytes) { return IDSYNC_OK; };
    sink.import_end = [](void* ctx, uint32_t, idsync_bytes wm) {
      static_cast<Counter*>(ctx)->watermark = std::string(idsync::sdk::view(wm));
      return IDSYNC_OK;
    };
    sink.is_cancelled = [](void*) { return 0; };
    idsync::sdk::ImportWriter w(&sink);
    auto t0 = std::chrono::steady_clock::now();
    c.full_import(idsync::sdk::ImportRequest{{}, {}, 1000}, w);
    double s = seconds_since(t0);
    std::printf("full import:  %8.0f rows/s  (%.3f s, %ld objects, with snapshot)\n",
                counter.objects / s, s, counter.objects);
    // A delta against the snapshot just written: every row is compared, none is emitted.
    counter.objects = 0;
    t0 = std::chrono::steady_clock::now();
    c.delta_import(idsync::sdk::ImportRequest{{}, counter.watermark, 1000}, w);
    s = seconds_since(t0);
    std::printf("delta import: %8.0f rows/s  (%.3f s, %ld objects changed)\n", rows / s, s,
                counter.objects);
  }
  std::filesystem::remove_all(dir);
  return 0;
}
