#include "file_connector.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "append_exporter.hpp"
#include "append_journal.hpp"
#include "csv_reader.hpp"
#include "exporter.hpp"
#include "record_reader.hpp"
#include "schema_cache.hpp"
#include "snapshot.hpp"
#include "source_error.hpp"

namespace idsync::file {
namespace {

std::string folder_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

// Creates and removes a file in `dir`: the only reliable test that this process may write
// there (access(2) ignores ACLs on some file systems and read-only mounts).
void check_writable_folder(const std::string& dir, const std::string& field) {
  std::string templ = dir + "/.idsync-file-probe-XXXXXX";
  const int fd = ::mkstemp(templ.data());
  if (fd < 0)
    throw sdk::Error(IDSYNC_ERR_PERMISSION,
                     field + ": cannot create files in " + dir + ": " + std::strerror(errno));
  ::close(fd);
  ::unlink(templ.c_str());
}

}  // namespace

sdk::ConnectorSpec FileConnector::spec() {
  return sdk::ConnectorSpec{
      "file", "File (CSV, LDIF, JSON Lines)",
      "Imports objects from a CSV, LDIF or JSON Lines file, with delta import by snapshot "
      "comparison or from a change file, and exports by rewriting a file atomically or by "
      "appending change records.",
      IDSYNC_CAP_FULL_IMPORT | IDSYNC_CAP_DELTA_IMPORT | IDSYNC_CAP_EXPORT |
          IDSYNC_CAP_CURRENT_WATERMARK | IDSYNC_CAP_TEST_CONNECTION,
      config_fields()};
}

FileConnector::FileConnector(const sdk::Config& config, const sdk::CreateContext& context)
    : o_(ConnectorOptions::from(config, context)), connector_name_(context.connector_name) {}

void FileConnector::test_connection() {
  const bool appending = o_.export_mode == ExportMode::append;
  if (appending && !identity_of_path(o_.path)) {
    check_writable_folder(folder_of(o_.path), "path");  // the first full import creates it
  } else {
    InputFile file(o_.path);
    struct stat st {};
    if (::fstat(file.fd(), &st) != 0 || !S_ISREG(st.st_mode))
      throw sdk::Error(IDSYNC_ERR_CONNECTION, "path: " + o_.path + " is not a regular file");
    // Reading the first record checks the format, the header and the anchor column early.
    auto reader = make_reader(file, o_.format, ReadMode{});
    Record record;
    reader->next(record);
  }
  if (o_.delta_mode == DeltaMode::change_file) {
    // The change file may not exist yet (nothing has changed); its folder must.
    if (identity_of_path(o_.change_file)) {
      InputFile change(o_.change_file);
    } else {
      struct stat st {};
      const std::string dir = folder_of(o_.change_file);
      if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
        throw sdk::Error(IDSYNC_ERR_CONNECTION,
                         "change_file: the folder " + dir + " does not exist");
    }
  } else if (!o_.state_dir.empty()) {
    check_writable_folder(o_.state_dir, "state folder");
  }
  if (!o_.export_file.empty()) check_writable_folder(folder_of(o_.export_file), "export_file");
  if (appending) {
    check_writable_folder(folder_of(o_.change_file), "change_file");
    check_writable_folder(o_.state_dir, "state folder");
  }
}

const DiscoveredSchema& FileConnector::discovered(const InputFile& file,
                                                  const std::function<void()>& poll) {
  const FileIdentity id = file.identity();
  if (discovered_ && discovered_->first.same_version(id)) return discovered_->second;
  const uint64_t cfg = o_.fingerprint();
  if (auto cached = load_schema_cache(o_.state_dir, o_.format, cfg, id)) {
    discovered_.emplace(id, std::move(*cached));
  } else {
    discovered_.emplace(id, discover_schema(file, o_.format, poll));
    save_schema_cache(o_.state_dir, cfg, id, discovered_->second);
  }
  return discovered_->second;
}

const DiscoveredSchema* FileConnector::import_types(const InputFile& file, sdk::ImportWriter& out) {
  if (o_.format.format == Format::csv) return nullptr;
  return &discovered(file, [&] { out.throw_if_cancelled(); });
}

void FileConnector::schema(sdk::SchemaWriter& out) {
  std::vector<sdk::AttrSpec> attrs;
  const FormatOptions& f = o_.format;
  const uint32_t multi = IDSYNC_ATTRINFO_MULTIVALUED;
  // An ADD without an anchor is filed under its anchor attribute's one value (export_op.cpp),
  // which is what imports report as the anchor too.
  constexpr uint32_t kAnchorFlags = IDSYNC_ATTRINFO_REQUIRED | IDSYNC_ATTRINFO_ANCHOR_FROM_ADD;
  InputFile file(o_.path);
  std::vector<std::string> types{f.object_type};
  if (f.format == Format::csv) {
    const std::vector<std::string> header = read_csv_header(file, f);
    for (const std::string& col : header) {
      if (col == f.anchor) {
        attrs.push_back({col, IDSYNC_VALUE_STRING, kAnchorFlags});
        continue;
      }
      if (col == f.dn_column || col == f.object_type_column || col == f.change_type_column)
        continue;
      if (!f.wants_attribute(col)) continue;
      const idsync_value_type type =
          f.is_reference(col) ? IDSYNC_VALUE_REFERENCE : IDSYNC_VALUE_STRING;
      attrs.push_back({col, type, f.multi_value_separator.empty() ? 0u : multi});
    }
    // Types come from the data only with a type column; the header is enough otherwise.
    if (!f.object_type_column.empty())
      for (const std::string& t : discovered(file).object_types()) types.push_back(t);
  } else {
    const DiscoveredSchema& d = discovered(file);
    if (!f.anchor_is_dn()) {
      const DiscoveredAttribute* a = d.find(f.anchor);
      attrs.push_back({f.anchor, a ? a->type : IDSYNC_VALUE_STRING, kAnchorFlags});
    }
    for (const DiscoveredAttribute& a : d.attributes())
      if (f.anchor_is_dn() || !f.same_name(a.name, f.anchor))
        attrs.push_back(
            {a.name, f.is_reference(a.name) ? idsync_value_type{IDSYNC_VALUE_REFERENCE} : a.type,
             a.multivalued ? multi : 0u});
    for (const std::string& t : d.object_types()) types.push_back(t);
  }
  for (const std::string& t : o_.selected_types) types.push_back(t);
  std::vector<std::string> declared;
  for (const std::string& t : types)
    if (o_.selected(t) && std::find(declared.begin(), declared.end(), t) == declared.end())
      declared.push_back(t);
  for (const std::string& t : declared) out.object_type(t, f.anchor, attrs);
}

void FileConnector::recover_interrupted_export() {
  if (!o_.export_file.empty()) recover_interrupted_append(scratch_dir(), o_.export_file);
  if (o_.export_mode == ExportMode::append)
    recover_interrupted_append(scratch_dir(), o_.change_file);
}

void FileConnector::delta_import(const sdk::ImportRequest& request, sdk::ImportWriter& out) {
  recover_interrupted_export();
  if (o_.delta_mode == DeltaMode::snapshot)
    delta_from_snapshot(request, out);
  else
    delta_from_change_file(request, out);
}

std::string FileConnector::current_watermark() {
  if (o_.delta_mode == DeltaMode::change_file) return change_file_end().text(o_.fingerprint());
  if (o_.state_dir.empty())
    throw sdk::Error(IDSYNC_ERR_PRECONDITION,
                     "snapshot delta import needs a state folder, and the host gave none");
  const auto latest = SnapshotStore(o_.state_dir).latest();
  if (!latest)
    throw sdk::Error(IDSYNC_ERR_PRECONDITION, "no snapshot yet: run a full import first");
  if (latest->config != o_.fingerprint())
    throw sdk::Error(IDSYNC_ERR_PRECONDITION,
                     "the latest snapshot was made under another configuration: run a full import");
  return SnapshotMark{latest->generation, latest->nonce}.text(o_.fingerprint());
}

void FileConnector::export_batch(const std::vector<sdk::ExportOp>& ops,
                                 sdk::ExportResults& results) {
  recover_interrupted_export();
  std::vector<ExportResult> outcome;
  if (o_.export_mode == ExportMode::append) {
    outcome = AppendExporter(o_.format, o_.change_file, scratch_dir()).run(ops);
  } else {
    if (o_.export_file.empty())
      throw sdk::Error(IDSYNC_ERR_CONFIG, "export_file: not set, so this connector cannot export");
    Exporter exporter(o_.format, o_.export_file, scratch_dir());
    auto appended = exporter.try_append(ops, export_index_);
    outcome = appended ? std::move(*appended)
                       : exporter.run(
                             ops, [&] { return results.cancelled(); }, &export_index_);
  }
  for (const ExportResult& r : outcome) {
    if (r.status == IDSYNC_OK)
      results.ok(r.op_id, r.anchor, r.dn);
    else
      results.fail(r.op_id, r.kind, r.message, r.status);
  }
}

}  // namespace idsync::file
