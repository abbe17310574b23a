#include "exporter.hpp"

#include <algorithm>
#include <optional>
#include <random>
#include <unordered_map>

#include "anchor_set.hpp"
#include "atomic_writer.hpp"
#include "csv_reader.hpp"
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
std::vector<std::string> csv_columns(const FormatOptions& o, const CsvReader* existing,
                                     const std::vector<sdk::ExportOp>& ops) {
  std::vector<std::string> cols;
  auto add = [&](std::string_view name) {
    if (!name.empty() && std::find(cols.begin(), cols.end(), name) == cols.end())
      cols.emplace_back(name);
  };
  if (existing) {
    cols = existing->header();
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

std::string new_uuid() {
  std::random_device rd;
  unsigned char b[16];
  for (int i = 0; i < 16; i += 4) {
    const uint32_t r = rd();
    for (int k = 0; k < 4; ++k) b[i + k] = static_cast<unsigned char>(r >> (8 * k));
  }
  b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x40);  // version 4
  b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);  // RFC 4122 variant
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += hex[b[i] >> 4];
    out += hex[b[i] & 15];
  }
  return out;
}

Exporter::Exporter(const FormatOptions& options, std::string export_path, std::string scratch_dir)
    : options_(options), path_(std::move(export_path)), scratch_dir_(std::move(scratch_dir)) {}

std::vector<ExportResult> Exporter::run(const std::vector<sdk::ExportOp>& ops,
                                        const std::function<bool()>& cancelled) {
  const FormatOptions& o = options_;
  std::vector<ExportResult> results(ops.size());
  if (ops.empty()) return results;  // nothing to apply: leave the file alone
  auto fail = [&](std::size_t i, idsync_error_kind kind, std::string message) {
    results[i].status = IDSYNC_ERROR;
    results[i].kind = kind;
    results[i].message = std::move(message);
  };

  std::vector<Group> groups;
  std::unordered_map<std::string, std::size_t> group_of;
  for (std::size_t i = 0; i < ops.size(); ++i) {
    const sdk::ExportOp& op = ops[i];
    results[i].op_id = op.op_id;
    if (op.kind != IDSYNC_EXPORT_ADD && op.kind != IDSYNC_EXPORT_UPDATE &&
        op.kind != IDSYNC_EXPORT_DELETE) {
      fail(i, IDSYNC_ERR_INVALID_VALUE, "unknown export operation kind " + std::to_string(op.kind));
      continue;
    }
    if (std::any_of(op.attributes.begin(), op.attributes.end(),
                    [](const sdk::AttrView& a) { return a.name.empty(); })) {
      fail(i, IDSYNC_ERR_INVALID_VALUE, "an attribute of the operation has no name");
      continue;
    }
    std::string anchor(op.anchor);
    if (anchor.empty() && op.kind == IDSYNC_EXPORT_ADD) {
      if (!o.anchor_is_dn()) {
        // The anchor column or attribute, when the add carries exactly one value for it (the
        // sync rules computed it); otherwise the file assigns a new UUID.
        anchor = new_uuid();
        for (const sdk::AttrView& a : op.attributes)
          if (a.op != IDSYNC_ATTR_REMOVE && a.values.size() == 1 && o.same_name(a.name, o.anchor))
            anchor = std::string(a.values[0]);
      } else if (op.dn.empty()) {
        fail(i, IDSYNC_ERR_INVALID_VALUE,
             "the added object has no DN, and the DN is the anchor here");
        continue;
      } else {
        anchor = std::string(op.dn);
      }
    }
    if (anchor.empty()) {
      fail(i, IDSYNC_ERR_INVALID_VALUE, "the operation names no anchor");
      continue;
    }
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
  if (o.format == Format::csv)
    columns = csv_columns(o, dynamic_cast<CsvReader*>(reader.get()), ops);
  const auto writer = make_writer(o, columns);

  auto apply = [&](std::size_t i, const std::string& anchor, std::optional<OwnedObject>& state) {
    const sdk::ExportOp& op = ops[i];
    ExportResult& r = results[i];
    if (op.kind == IDSYNC_EXPORT_ADD) {
      if (state)
        return fail(i, IDSYNC_ERR_ALREADY_EXISTS,
                    "an object with anchor " + quoted(anchor) + " already exists");
      OwnedObject obj;
      obj.anchor = anchor;
      obj.dn = std::string(op.dn);
      obj.object_type = op.object_type.empty() ? o.object_type : std::string(op.object_type);
      for (const sdk::AttrView& a : op.attributes)
        if (a.op != IDSYNC_ATTR_REMOVE) apply_attribute(obj, a, o);
      if (o.anchor_is_dn()) {
        if (obj.dn.empty()) obj.dn = anchor;
        if (obj.dn != anchor)
          return fail(i, IDSYNC_ERR_INVALID_VALUE,
                      "the DN " + quoted(obj.dn) +
                          " differs from the anchor, and the DN is the anchor here");
      } else if (const OwnedAttribute* a = obj.find(o.anchor, o)) {
        if (a->values.size() != 1 || a->values[0] != anchor)
          return fail(i, IDSYNC_ERR_INVALID_VALUE,
                      "the values of the anchor attribute " + o.anchor +
                          " differ from the anchor " + quoted(anchor));
      } else {
        obj.attributes.insert(obj.attributes.begin(),
                              OwnedAttribute{o.anchor, IDSYNC_VALUE_STRING, {anchor}});
      }
      std::string why = writer->prepare(obj);
      if (!why.empty()) return fail(i, IDSYNC_ERR_INVALID_VALUE, why);
      r.anchor = anchor;
      if (obj.dn != op.dn) r.dn = obj.dn;
      state = std::move(obj);
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
      if (state) writer->write(*state, text);
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
    if (state) writer->write(*state, text);
  }
  out.write(text);
  if (cancelled()) throw sdk::Stopped();
  out.commit();
  return results;
}

}  // namespace idsync::file
