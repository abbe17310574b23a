#include "append_exporter.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "append_journal.hpp"
#include "atomic_writer.hpp"
#include "change_writer.hpp"
#include "file_identity.hpp"
#include "object_writer.hpp"
#include "source_error.hpp"

namespace idsync::file {
namespace {

// Why an UPDATE would change the anchor attribute, or "". Replacing it with the anchor itself
// changes nothing and is allowed (a rule may flow the anchor).
std::string anchor_change(const sdk::ExportOp& op, const std::string& anchor,
                          const FormatOptions& o) {
  if (o.anchor_is_dn()) return {};
  for (const sdk::AttrView& a : op.attributes) {
    if (!o.same_name(a.name, o.anchor)) continue;
    if (a.op != IDSYNC_ATTR_REPLACE || a.values.size() != 1 || a.values[0] != anchor)
      return "the anchor attribute " + o.anchor + " cannot be changed";
  }
  return {};
}

// Creates the file when it does not exist (mode 0640) and makes its entry durable.
void create_if_missing(const std::string& path) {
  if (identity_of_path(path)) return;
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0640);
  if (fd < 0) throw std::runtime_error(path + ": cannot create: " + std::strerror(errno));
  ::fsync(fd);
  ::close(fd);
  const std::string folder = std::filesystem::path(path).parent_path().string();
  sync_directory(folder.empty() ? "." : folder);
}

// The line breaks needed before a new record: a file whose last record an admin left without
// its final line break (or, in LDIF, without the blank line that ends it) must not swallow it.
std::string separator_before_append(const std::string& path, uint64_t size, Format format) {
  if (size == 0) return {};
  char tail[2] = {0, 0};
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error(path + ": cannot open: " + std::strerror(errno));
  const uint64_t n = size >= 2 ? 2 : 1;
  const ssize_t got = ::pread(fd, tail + (2 - n), n, static_cast<off_t>(size - n));
  ::close(fd);
  if (got != static_cast<ssize_t>(n)) throw std::runtime_error(path + ": cannot read its end");
  if (format != Format::ldif) return tail[1] == '\n' ? "" : "\n";
  if (tail[1] != '\n') return "\n\n";
  return tail[0] == '\n' ? "" : "\n";
}

}  // namespace

AppendExporter::AppendExporter(const FormatOptions& options, std::string change_file,
                               std::string state_dir)
    : options_(options), path_(std::move(change_file)), state_dir_(std::move(state_dir)) {}

std::vector<ExportResult> AppendExporter::run(const std::vector<sdk::ExportOp>& ops) {
  const FormatOptions& o = options_;
  const auto objects = make_writer(o, {});
  const auto changes = make_change_writer(o);
  if (!changes) throw std::logic_error("export_mode append needs an LDIF or JSON Lines file");

  std::vector<ExportResult> results(ops.size());
  std::string text;
  for (std::size_t i = 0; i < ops.size(); ++i) {
    const sdk::ExportOp& op = ops[i];
    ExportResult& r = results[i];
    r.op_id = op.op_id;
    const std::string anchor = op_anchor(op, o, r);
    if (anchor.empty()) continue;
    std::string why;
    if (op.kind == IDSYNC_EXPORT_ADD) {
      if (auto object = added_object(op, anchor, o, *objects, r)) changes->add(*object, text);
      continue;
    }
    if (op.kind == IDSYNC_EXPORT_UPDATE) {
      why = anchor_change(op, anchor, o);
      if (why.empty()) why = changes->update(op, anchor, text);
      if (why.empty() && !op.new_dn.empty() && op.new_dn != op.dn) r.dn = std::string(op.new_dn);
    } else {
      why = changes->remove(op, anchor, text);
    }
    if (!why.empty()) r.fail(IDSYNC_ERR_INVALID_VALUE, std::move(why));
  }
  if (text.empty()) return results;

  create_if_missing(path_);
  const auto id = identity_of_path(path_);
  if (!id) throw std::runtime_error(path_ + ": vanished while it was being appended to");
  std::string head;
  if (id->size == 0)
    changes->begin(head);
  else
    head = separator_before_append(path_, id->size, o.format);
  AppendJournal journal(state_dir_, path_, id->size, id->inode);
  append_durably(path_, head.empty() ? text : head + text);
  journal.done();
  return results;
}

}  // namespace idsync::file
