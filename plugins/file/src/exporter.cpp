#include "exporter.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <unordered_map>

#include "anchor_set.hpp"
#include "append_journal.hpp"
#include "atomic_writer.hpp"
#include "csv_reader.hpp"
#include "hash.hpp"
#include "object.hpp"
#include "object_writer.hpp"
#include "record_reader.hpp"
#include "source_error.hpp"

namespace idsync::file {
namespace {

constexpr std::size_t kFlushBytes = 1 << 20;

struct Group {
  std::string anchor;
  std::vector<std::size_t> ops;  // indices into the batch, in batch order
  bool done = false;
};

bool is_metadata_column(const FormatOptions& o, std::string_view name) {
  return name == o.dn_column || name == o.object_type_column || name == o.change_type_column;
}

// The CSV header of the new file: the existing header, or a fresh one for a new file, plus every
// attribute the batch mentions that has no column yet (appended, so existing columns keep their
// place).
std::vector<std::string> csv_columns(const FormatOptions& o,
                                     const std::vector<std::string>* existing,
                                     const std::vector<sdk::ExportOp>& ops) {
  std::vector<std::string> cols;
  auto add = [&](std::string_view name) {
    if (!name.empty() && std::find(cols.begin(), cols.end(), name) == cols.end())
      cols.emplace_back(name);
  };
  if (existing) {
    cols = *existing;
  } else {
    add(o.anchor);
    add(o.dn_column);
    add(o.object_type_column);
    for (const std::string& a : o.attributes) add(a);
  }
  for (const sdk::ExportOp& op : ops) {
    if (op.kind == IDSYNC_EXPORT_DELETE) continue;
    for (const sdk::AttrView& a : op.attributes)
      if (a.op != IDSYNC_ATTR_REMOVE && !a.values.empty() && !is_metadata_column(o, a.name))
        add(a.name);
  }
  return cols;
}

}  // namespace

Exporter::Exporter(const FormatOptions& options, std::string export_path, std::string scratch_dir)
    : options_(options), path_(std::move(export_path)), scratch_dir_(std::move(scratch_dir)) {}

std::vector<ExportResult> Exporter::run(const std::vector<sdk::ExportOp>& ops,
                                        const std::function<bool()>& cancelled,
                                        ExportIndex* index) {
  const FormatOptions& o = options_;
  std::vector<ExportResult> results(ops.size());
  if (ops.empty()) return results;    // nothing to apply: leave the file alone
  if (index) *index = ExportIndex{};  // known again only once this pass has committed
  auto fail = [&](std::size_t i, idsync_error_kind kind, std::string message) {
    results[i].fail(kind, std::move(message));
  };

  std::vector<Group> groups;
  std::unordered_map<std::string, std::size_t> group_of;
  for (std::size_t i = 0; i < ops.size(); ++i) {
    results[i].op_id = ops[i].op_id;
    std::string anchor = op_anchor(ops[i], o, results[i]);
    if (anchor.empty()) continue;
    auto [it, fresh] = group_of.emplace(anchor, groups.size());
    if (fresh) groups.push_back(Group{anchor, {}, false});
    groups[it->second].ops.push_back(i);
  }

  // Read the existing file with every attribute: the `attributes` import filter must not drop
  // data from the target on rewrite.
  FormatOptions read_options = o;
  read_options.attributes.clear();
  std::unique_ptr<InputFile> input;
  std::unique_ptr<RecordReader> reader;
  // An empty export file (e.g. created by an admin ahead of time) holds no objects yet.
  if (const auto id = identity_of_path(path_); id && id->size > 0) {
    input = std::make_unique<InputFile>(path_);
    reader = make_reader(*input, read_options, ReadMode{});
  }
  std::vector<std::string> columns;
  if (o.format == Format::csv) {
    const auto* csv = dynamic_cast<CsvReader*>(reader.get());
    columns = csv_columns(o, csv ? &csv->header() : nullptr, ops);
  }
  const auto writer = make_writer(o, columns);

  auto apply = [&](std::size_t i, const std::string& anchor, std::optional<OwnedObject>& state) {
    const sdk::ExportOp& op = ops[i];
    ExportResult& r = results[i];
    if (op.kind == IDSYNC_EXPORT_ADD) {
      if (state)
        return fail(i, IDSYNC_ERR_ALREADY_EXISTS,
                    "an object with anchor " + quoted(anchor) + " already exists");
      if (auto obj = added_object(op, anchor, o, *writer, r)) state = std::move(obj);
      return;
    }
    if (!state)
      return fail(i, IDSYNC_ERR_UNKNOWN_OBJECT, "no object with anchor " + quoted(anchor));
    if (op.kind == IDSYNC_EXPORT_DELETE) {
      state.reset();
      return;
    }
    OwnedObject obj = *state;
    for (const sdk::AttrView& a : op.attributes) apply_attribute(obj, a, o);
    if (!o.anchor_is_dn()) {
      const OwnedAttribute* a = obj.find(o.anchor, o);
      if (a == nullptr || a->values.size() != 1 || a->values[0] != anchor)
        return fail(i, IDSYNC_ERR_INVALID_VALUE,
                    "the anchor attribute " + o.anchor + " cannot be changed");
    }
    if (!op.new_dn.empty() && op.new_dn != obj.dn) {
      if (o.anchor_is_dn())
        return fail(i, IDSYNC_ERR_INVALID_VALUE,
                    "a rename would change the anchor, and the DN is the anchor here");
      obj.dn = std::string(op.new_dn);
      r.dn = obj.dn;
    }
    std::string why = writer->prepare(obj);
    if (!why.empty()) {
      r.dn.clear();
      return fail(i, IDSYNC_ERR_INVALID_VALUE, why);
    }
    state = std::move(obj);
  };
  auto apply_group = [&](Group& g, std::optional<OwnedObject>& state) {
    for (std::size_t i : g.ops) apply(i, g.anchor, state);
    g.done = true;
  };

  AtomicWriter out(path_);
  std::string text;
  writer->begin(text);
  if (reader) {
    AnchorSet seen(scratch_dir_);
    Record record;
    uint64_t count = 0;
    while (reader->next(record)) {
      if (++count % 1024 == 0 && cancelled()) throw sdk::Stopped();
      if (const uint64_t first = seen.insert(record.anchor, record.line))
        throw_at(reader->name(), record.line,
                 "duplicate anchor " + quoted(record.anchor) + " (first at line " +
                     std::to_string(first) + ")");
      std::optional<OwnedObject> state = OwnedObject::from(record);
      if (auto it = group_of.find(state->anchor); it != group_of.end())
        apply_group(groups[it->second], state);
      if (state) {
        writer->write(*state, text);
        if (index) index->anchors.insert(anchor_hash(state->anchor));
      }
      if (text.size() >= kFlushBytes) {
        out.write(text);
        text.clear();
      }
    }
  }
  for (Group& g : groups) {
    if (g.done) continue;
    std::optional<OwnedObject> state;
    apply_group(g, state);
    if (state) {
      writer->write(*state, text);
      if (index) index->anchors.insert(anchor_hash(state->anchor));
    }
  }
  out.write(text);
  if (cancelled()) throw sdk::Stopped();
  out.commit();
  if (index) {
    index->identity = identity_of_path(path_);
    index->columns = columns;
  }
  return results;
}

std::optional<std::vector<ExportResult>> Exporter::try_append(const std::vector<sdk::ExportOp>& ops,
                                                              ExportIndex& index) {
  const FormatOptions& o = options_;
  if (!index.identity || ops.empty() || scratch_dir_.empty()) return std::nullopt;
  const auto now = identity_of_path(path_);
  if (!now || !now->same_version(*index.identity)) return std::nullopt;  // touched by others
  if (o.format == Format::csv && csv_columns(o, &index.columns, ops) != index.columns)
    return std::nullopt;  // a new column: the header changes, so the whole file does

  std::vector<ExportResult> results(ops.size());
  std::vector<std::string> anchors(ops.size());
  std::unordered_set<uint64_t> in_batch;
  for (std::size_t i = 0; i < ops.size(); ++i) {
    if (ops[i].kind != IDSYNC_EXPORT_ADD) return std::nullopt;
    results[i].op_id = ops[i].op_id;
    anchors[i] = op_anchor(ops[i], o, results[i]);
    if (anchors[i].empty()) continue;  // failed already; nothing to write
    const uint64_t h = anchor_hash(anchors[i]);
    // A hash the file has (maybe a collision) or two adds of one anchor: the full pass decides.
    if (index.anchors.count(h) || !in_batch.insert(h).second) return std::nullopt;
  }

  const auto writer = make_writer(o, index.columns);
  std::string text;
  if (now->size == 0) writer->begin(text);
  std::vector<uint64_t> added;
  for (std::size_t i = 0; i < ops.size(); ++i) {
    if (anchors[i].empty()) continue;
    if (auto obj = added_object(ops[i], anchors[i], o, *writer, results[i])) {
      writer->write(*obj, text);
      added.push_back(anchor_hash(anchors[i]));
    }
  }
  if (!text.empty()) {
    AppendJournal journal(scratch_dir_, path_, now->size, now->inode);
    append_durably(path_, text);
    journal.done();
  }
  index.identity = identity_of_path(path_);
  index.anchors.insert(added.begin(), added.end());
  return results;
}

}  // namespace idsync::file
