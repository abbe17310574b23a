#include "change_fold.hpp"

#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>

#include "append_journal.hpp"
#include "atomic_writer.hpp"
#include "exporter.hpp"
#include "hash.hpp"
#include "record_reader.hpp"
#include "source_error.hpp"

namespace idsync::file {
namespace {

constexpr std::size_t kWarningsShown = 20;

std::string mark_path(const ConnectorOptions& o) { return o.state_dir + "/fold.mark"; }

// Which pair of files a mark is about: a mark made for other files does not apply.
uint64_t files_key(const ConnectorOptions& o) {
  return hash64(o.path + '\n' + o.change_file, 0x666f6c64);
}

std::optional<ChangeFileMark> load_mark(const ConnectorOptions& o) {
  std::ifstream in(mark_path(o));
  if (!in) return std::nullopt;
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  try {
    const StateToken t = StateToken::parse(text, "fold mark");
    if (t.get("op") != "fold" || t.get_hex("files") != files_key(o)) return std::nullopt;
    return ChangeFileMark::get(t, "");
  } catch (const sdk::Error& e) {
    throw sdk::Error(IDSYNC_ERR_PRECONDITION,
                     mark_path(o) + " is damaged (" + e.what() +
                         "); remove it to fold the whole change file into " + display_name(o.path) +
                         " again");
  }
}

void save_mark(const ConnectorOptions& o, const ChangeFileMark& mark) {
  StateToken t;
  t.set("op", "fold").set_hex("files", files_key(o));
  mark.put(t, "");
  AtomicWriter out(mark_path(o));
  out.write(t.text());
  out.commit();
}

// One change record, held by value until its chunk is applied.
struct HeldOp {
  idsync_export_kind kind = IDSYNC_EXPORT_ADD;
  std::string object_type, anchor, dn, new_dn;
  struct Entry {
    std::string name;
    idsync_value_type type;
    idsync_attr_op op;
    std::vector<std::string> values;
  };
  std::vector<Entry> attributes;
  uint64_t line = 0;
  bool quiet_if_unknown = false;  // the DELETE half of a state record: the object may be new
};

void hold(const Record& record, std::vector<HeldOp>& chunk) {
  auto held = [&](idsync_export_kind kind) -> HeldOp& {
    HeldOp& op = chunk.emplace_back();
    op.kind = kind;
    op.object_type = record.object_type;
    op.anchor = record.anchor;
    op.line = record.line;
    if (kind != IDSYNC_EXPORT_DELETE)
      for (const Attribute& a : record.attributes())
        op.attributes.push_back(
            {std::string(a.name), a.type, a.op, {a.values.begin(), a.values.end()}});
    return op;
  };
  switch (record.change) {
    case IDSYNC_CHANGE_DELETE:
      held(IDSYNC_EXPORT_DELETE);
      return;
    case IDSYNC_CHANGE_UPDATE: {
      HeldOp& op = held(IDSYNC_EXPORT_UPDATE);
      op.new_dn = record.dn;  // modrdn: the new DN; modify: the DN it has (no rename)
      return;
    }
    case IDSYNC_CHANGE_STATE:
      held(IDSYNC_EXPORT_DELETE).quiet_if_unknown = true;  // a state record replaces the object
      [[fallthrough]];
    default:
      held(IDSYNC_EXPORT_ADD).dn = record.dn;
  }
}

}  // namespace

ChangeFileMark fold_change_file(const ConnectorOptions& o, const std::function<bool()>& cancelled,
                                const std::function<void(const std::string&)>& warn) {
  recover_interrupted_append(o.state_dir, o.path);  // a fold of its own that was cut short
  const std::string name = display_name(o.change_file);
  const std::optional<ChangeFileMark> mark = load_mark(o);

  if (!identity_of_path(o.path)) {  // the connector owns the state file in append mode
    AtomicWriter empty(o.path);
    empty.commit();
  }
  if (!identity_of_path(o.change_file)) {
    if (mark && !mark->absent)
      throw sdk::Error(IDSYNC_ERR_PRECONDITION,
                       "the change file " + name + " is gone, so " + display_name(o.path) +
                           " cannot be brought up to date; remove " + mark_path(o) + " to take " +
                           display_name(o.path) + " as it is");
    return ChangeFileMark{};
  }

  InputFile file(o.change_file);
  const FileIdentity id = file.identity();
  Position start;
  if (mark && !mark->absent) {
    std::string problem;
    if (id.device != mark->device || id.inode != mark->inode)
      problem = "was replaced (another inode)";
    else if (id.size < mark->position.offset)
      problem =
          "is shorter than what was folded (" + std::to_string(mark->position.offset) + " bytes)";
    else if (head_hash(file.fd(), mark->position.offset) != mark->head)
      problem = "was rewritten";
    if (!problem.empty())
      throw sdk::Error(IDSYNC_ERR_PRECONDITION,
                       "the change file " + name + " " + problem + " since it was folded into " +
                           display_name(o.path) + ", so records may be lost; remove " +
                           mark_path(o) + " to fold the whole change file again");
    start = mark->position;
  }

  ChangeFileMark end;
  end.absent = false;
  end.device = id.device;
  end.inode = id.inode;
  end.position = start;

  Exporter exporter(o.format, o.path, o.state_dir);
  ExportIndex index;
  bool indexed = false;
  uint64_t failures = 0;
  std::vector<HeldOp> chunk;
  auto apply = [&](const Position& after) {
    std::vector<sdk::ExportOp> ops;
    ops.reserve(chunk.size());
    for (std::size_t i = 0; i < chunk.size(); ++i) {
      const HeldOp& h = chunk[i];
      sdk::ExportOp op{i, h.kind, h.object_type, h.anchor, h.dn, h.new_dn, {}};
      for (const HeldOp::Entry& a : h.attributes)
        op.attributes.push_back(
            sdk::AttrView{a.name, a.type, a.op, {a.values.begin(), a.values.end()}});
      ops.push_back(std::move(op));
    }
    std::optional<std::vector<ExportResult>> results;
    if (indexed) results = exporter.try_append(ops, index);
    if (!results) results = exporter.run(ops, cancelled, &index);
    indexed = true;
    for (std::size_t i = 0; i < results->size(); ++i) {
      const ExportResult& r = (*results)[i];
      if (r.status == IDSYNC_OK) continue;
      if (chunk[i].quiet_if_unknown && r.kind == IDSYNC_ERR_UNKNOWN_OBJECT) continue;
      if (++failures <= kWarningsShown)
        warn(name + ":" + std::to_string(chunk[i].line) + ": not applied to " +
             display_name(o.path) + ": " + r.message);
    }
    chunk.clear();
    end.position = after;
    end.head = head_hash(file.fd(), after.offset);
    save_mark(o, end);
  };

  if (id.size > start.offset) {
    // Every attribute: the `attributes` import filter must not drop data from the state file.
    FormatOptions read_options = o.format;
    read_options.attributes.clear();
    auto reader = make_reader(file, read_options, ReadMode{true, true});
    reader->seek(start);
    Record record;
    uint64_t polled = 0;
    while (reader->next(record)) {
      if ((++polled & 1023) == 0 && cancelled()) throw sdk::Stopped();
      hold(record, chunk);
      if (chunk.size() >= kFoldChunk) apply(reader->position());
    }
    if (!chunk.empty() || !(reader->position() == start)) apply(reader->position());
  }
  if (!mark || mark->absent != end.absent) {
    end.head = head_hash(file.fd(), end.position.offset);
    save_mark(o, end);
  }
  if (failures > kWarningsShown)
    warn(std::to_string(failures - kWarningsShown) + " more records of " + name +
         " were not applied to " + display_name(o.path));
  return end;
}

}  // namespace idsync::file
