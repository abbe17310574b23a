// Delta import from a change file (delta_mode change_file).
//
// The change file is append-only: LDIF changetype records, JSONL records with "_change", or CSV
// rows with the change type column. The watermark records the change file's device and inode,
// the offset and line up to which it was consumed, and a hash of its first bytes. A delta import
// emits the records after that offset as ADD/UPDATE/DELETE/STATE and ends with a watermark at the
// end of the last complete record; a record still being written (no final newline; LDIF: no
// blank line after it yet) is left for the next run. So each change is imported once.
//
// The change file being replaced (other inode), truncated (shorter than the offset) or rewritten
// (different first bytes) is refused with IDSYNC_ERR_PRECONDITION: changes may have been lost,
// and only a full import can tell. A change file that did not exist at the last watermark is
// read from its start once it appears.
#include "file_connector.hpp"
#include "record_reader.hpp"
#include "source_error.hpp"

namespace idsync::file {

ChangeFileMark FileConnector::change_file_end() const {
  ChangeFileMark mark;
  if (!identity_of_path(o_.change_file)) return mark;  // absent
  InputFile file(o_.change_file);
  const FileIdentity id = file.identity();
  mark.absent = false;
  mark.device = id.device;
  mark.inode = id.inode;
  if (id.size > 0) {
    // Only complete records count, so the end is found by reading the records.
    auto reader = make_reader(file, o_.format, ReadMode{true, true});
    Record record;
    while (reader->next(record)) {
    }
    mark.position = reader->position();
  }
  mark.head = head_hash(file.fd(), mark.position.offset);
  return mark;
}

void FileConnector::delta_from_change_file(const sdk::ImportRequest& request,
                                           sdk::ImportWriter& out) {
  const uint64_t cfg = o_.fingerprint();
  const std::string name = display_name(o_.change_file);
  if (request.watermark.empty())
    throw sdk::Error(IDSYNC_ERR_PRECONDITION, "no watermark: run a full import first");
  const ChangeFileMark mark = ChangeFileMark::parse(request.watermark, cfg);

  const auto now = identity_of_path(o_.change_file);
  if (!now) {
    if (mark.absent) {
      out.finish(true, request.watermark);  // still nothing has changed
      return;
    }
    throw sdk::Error(
        IDSYNC_ERR_PRECONDITION,
        "the change file " + name + " is gone (it existed at the last import); run a full import");
  }
  InputFile file(o_.change_file);
  const FileIdentity id = file.identity();
  Position start;
  if (!mark.absent) {
    if (id.device != mark.device || id.inode != mark.inode)
      throw sdk::Error(
          IDSYNC_ERR_PRECONDITION,
          "the change file " + name +
              " was replaced since the last import (another inode), so changes appended to the "
              "old file may be lost; run a full import");
    if (id.size < mark.position.offset)
      throw sdk::Error(IDSYNC_ERR_PRECONDITION,
                       "the change file " + name + " is shorter (" + std::to_string(id.size) +
                           " bytes) than what the last import consumed (" +
                           std::to_string(mark.position.offset) + " bytes); run a full import");
    if (head_hash(file.fd(), mark.position.offset) != mark.head)
      throw sdk::Error(
          IDSYNC_ERR_PRECONDITION,
          "the change file " + name + " was rewritten since the last import; run a full import");
    start = mark.position;
  }

  if (!request.checkpoint.empty()) {
    const StateToken cp = StateToken::parse(request.checkpoint, "checkpoint");
    expect_token(cp, "op", "delta_change", "the checkpoint");
    expect_config(cp, cfg, "checkpoint");
    const Position at{cp.get_u64("off"), cp.get_u64("line")};
    if (cp.get_u64("dev") != id.device || cp.get_u64("ino") != id.inode ||
        at.offset < start.offset || at.offset > id.size)
      throw sdk::Error(IDSYNC_ERR_PRECONDITION, "the checkpoint does not match the change file " +
                                                    name + "; restart the delta import");
    start = at;
  }

  // Change records take the value types of the main file's schema. A missing or unreadable main
  // file does not block the changes: they then keep the types they were written with.
  const DiscoveredSchema* types = nullptr;
  if (o_.format.format != Format::csv) {
    try {
      InputFile main(o_.path);
      types = import_types(main, out);
    } catch (const sdk::Error& e) {
      diag().warn(std::string("change records keep their own value types: ") + e.what());
      types = nullptr;
    }
  }

  ChangeFileMark end;
  end.absent = false;
  end.device = id.device;
  end.inode = id.inode;
  end.position = start;
  if (id.size > 0) {
    auto reader = make_reader(file, o_.format, ReadMode{true, true});
    reader->seek(start);
    Pager pager(out, request.page_size);
    Record record;
    uint64_t polled = 0;
    auto make_checkpoint = [&] {
      StateToken t;
      t.set("op", "delta_change")
          .set_hex("cfg", cfg)
          .set_u64("dev", id.device)
          .set_u64("ino", id.inode);
      const Position p = reader->position();
      t.set_u64("off", p.offset).set_u64("line", p.line);
      return t.text();
    };
    while (reader->next(record)) {
      poll_cancel(out, polled);
      if (types) types->coerce(record);
      if (!o_.selected(record.object_type)) continue;
      emit(out, record, record.change, reader->name(), o_.format);
      pager.emitted(make_checkpoint);
    }
    end.position = reader->position();
  }
  end.head = head_hash(file.fd(), end.position.offset);
  out.finish(true, end.text(cfg));
}

}  // namespace idsync::file
