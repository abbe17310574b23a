// Test support for the file connector: temporary folders, files, a configuration builder and
// in-memory fakes of the host's import sink and export results (driven through the SDK's
// writers, i.e. through the same C structs a host passes).
#pragma once

#include <functional>
#include <idsync/sdk.hpp>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "file_connector.hpp"
#include "format_options.hpp"
#include "record.hpp"

namespace filetest {

// A folder made with mkdtemp, removed with everything in it at the end of the test.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }
  // Names of the entries in the folder (to check that no temporary files are left).
  std::vector<std::string> entries(const std::string& sub = "") const;

 private:
  std::string path_;
};

void write_file(const std::string& path, const std::string& content);
// Replaces a file by writing a new one and renaming it over (a new inode, as tools that
// regenerate exports do).
void replace_file(const std::string& path, const std::string& content);
void make_dir(const std::string& path);
void append_file(const std::string& path, const std::string& content);
std::string read_file(const std::string& path);

// An object as the host received it (or as a reader produced it).
struct Attr {
  std::string name;
  idsync_value_type type = IDSYNC_VALUE_STRING;
  idsync_attr_op op = IDSYNC_ATTR_REPLACE;
  std::vector<std::string> values;
  bool operator==(const Attr&) const = default;
};
struct Obj {
  idsync_change change = IDSYNC_CHANGE_STATE;
  std::string type;
  std::string anchor;
  std::string dn;
  std::vector<Attr> attrs;
  bool operator==(const Obj&) const = default;
  const Attr* attr(const std::string& name) const;
  // Values of one attribute, empty when absent.
  std::vector<std::string> values(const std::string& name) const;
};
std::ostream& operator<<(std::ostream& os, const Obj& o);

Obj to_obj(const idsync::file::Record& r);

// Reads every record of a file through the format's reader.
std::vector<Obj> read_all(const std::string& path, const idsync::file::FormatOptions& options,
                          idsync::file::ReadMode mode = {});

// The message of the sdk::Error `fn` throws ("" when it does not throw); `kind` receives its
// error kind.
template <class Fn>
std::string error_of(Fn&& fn, idsync_error_kind* kind = nullptr) {
  try {
    fn();
  } catch (const idsync::sdk::Error& e) {
    if (kind) *kind = e.kind();
    return e.what();
  }
  return {};
}

// Builds the validated configuration a host would pass to create().
class ConfigBuilder {
 public:
  ConfigBuilder& set(const std::string& name, const std::string& value);
  ConfigBuilder& list(const std::string& name, const std::vector<std::string>& values);
  ConfigBuilder& unset(const std::string& name);
  // Applies the declared defaults (as the host does) and returns the connector.
  std::unique_ptr<idsync::file::FileConnector> create(
      const std::string& state_dir, std::vector<std::string> object_types = {}) const;

 private:
  std::map<std::string, std::string> strings_;
  std::map<std::string, std::vector<std::string>> lists_;
};

// The host's import sink, recording what it receives.
class ImportSink {
 public:
  ImportSink();
  idsync::sdk::ImportWriter writer() { return idsync::sdk::ImportWriter(&sink_); }

  // Objects of committed pages (and of import_end).
  std::vector<Obj> committed;
  // Objects received since the last page_end.
  std::vector<Obj> pending;
  // The checkpoint of each committed page, in order, and how many objects were committed then.
  std::vector<std::string> checkpoints;
  std::vector<std::size_t> committed_after_page;
  // The source of every object received, in order ("people.csv:3").
  std::vector<std::string> sources;
  bool finished = false;
  bool all_results = false;
  std::string watermark;

  // page_end answers STOP after this many pages (cancellation by the host).
  std::optional<std::size_t> stop_after_pages;
  // is_cancelled answers yes.
  bool cancelled = false;
  // Called at each page_end (to change the world in the middle of an import).
  std::function<void()> on_page;

 private:
  static idsync_status object_begin(void* ctx, const idsync_object_header* h);
  static idsync_status attribute(void* ctx, const idsync_attr* a);
  static idsync_status object_end(void* ctx);
  static idsync_status page_end(void* ctx, idsync_bytes checkpoint);
  static idsync_status import_end(void* ctx, uint32_t all, idsync_bytes watermark);
  static int32_t is_cancelled(void* ctx);
  idsync_import_sink sink_{};
};

struct ImportRun {
  std::vector<Obj> objects;
  std::vector<std::string> checkpoints;
  std::vector<std::size_t> committed_after_page;
  std::string watermark;
};

// Runs an import with the sink given (for tests that look at pages or stop the import).
void run_full(idsync::file::FileConnector& c, ImportSink& sink, uint32_t page_size,
              const std::string& checkpoint = {});

ImportRun full_import(idsync::file::FileConnector& c, uint32_t page_size,
                      const std::string& checkpoint = {});
ImportRun delta_import(idsync::file::FileConnector& c, const std::string& watermark,
                       uint32_t page_size, const std::string& checkpoint = {});

// Export operations built in tests, and the results the connector reports.
struct OpSpec {
  uint64_t id = 0;
  idsync_export_kind kind = IDSYNC_EXPORT_ADD;
  std::string type = "person";
  std::string anchor;
  std::string dn;
  std::string new_dn;
  std::vector<Attr> attrs;
};
struct Result {
  uint64_t op_id = 0;
  idsync_status status = IDSYNC_OK;
  idsync_error_kind kind = IDSYNC_ERR_NONE;
  std::string message;
  std::string anchor;
  std::string dn;
};
// Runs export_batch through sdk::ExportResults; results keyed by op id. `cancel` makes
// is_cancelled answer yes.
std::map<uint64_t, Result> export_batch(idsync::file::FileConnector& c,
                                        const std::vector<OpSpec>& ops, bool cancel = false);

// An attribute shorthand: values of a REPLACE entry.
Attr rep(const std::string& name, std::vector<std::string> values);

}  // namespace filetest
