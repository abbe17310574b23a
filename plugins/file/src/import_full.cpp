// Full import.
//
// Pages of request.page_size objects; after each page the checkpoint names the file version
// (device, inode, size, mtime), the byte offset and line right after the page's last record and
// the number of objects so far. Resuming:
//  - against another version of the file is refused with IDSYNC_ERR_PRECONDITION: the host
//    already holds pages of the old version, and mixing versions in one full import would make
//    its "not seen, so deleted" decision wrong. The admin restarts the import from the beginning.
//  - re-reads the file from the start without emitting up to the checkpoint. The snapshot needs
//    every anchor of the file, including those of the pages committed before the interruption;
//    parsing is far cheaper than staging, so re-reading is the simple way to rebuild it. It also
//    verifies the checkpoint: it must fall exactly on a record boundary after the recorded
//    number of objects, or it is refused.
// Duplicate anchors are the host's to find: it marks every anchor a full import stages and
// refuses a page that repeats one, quoting each record's source ("people.csv:17"). Holding a set
// of every anchor here would make the import's memory grow with the file.
// The file must not change while it is read (checked at the end). In snapshot mode the snapshot
// of this import is committed before import_end; in change_file mode the watermark is the end
// of the change file as it was when the import started, so changes appended during the import
// are read by the next delta import (at least once, never lost). With export_mode append the
// change file is first folded into the state file, and the watermark is where the fold ended.
#include "change_fold.hpp"
#include "file_connector.hpp"
#include "hash.hpp"
#include "record_reader.hpp"
#include "snapshot.hpp"
#include "source_error.hpp"

namespace idsync::file {

void FileConnector::full_import(const sdk::ImportRequest& request, sdk::ImportWriter& out) {
  recover_interrupted_export();
  const uint64_t cfg = o_.fingerprint();
  // Append mode: bring the state file up to date before reading it. A resumed import reads the
  // file its first pages came from, which the fold then must not change.
  std::optional<ChangeFileMark> folded;
  if (o_.export_mode == ExportMode::append && request.checkpoint.empty())
    folded = fold_change_file(
        o_, [&] { return out.cancelled(); }, [&](const std::string& w) { diag().warn(w); });
  InputFile file(o_.path);
  const FileIdentity id = file.identity();
  const std::string name = display_name(o_.path);

  std::optional<StateToken> checkpoint;
  Position resume_at;
  uint64_t resume_count = 0;
  if (!request.checkpoint.empty()) {
    checkpoint = StateToken::parse(request.checkpoint, "checkpoint");
    expect_token(*checkpoint, "op", "full", "the checkpoint");
    expect_config(*checkpoint, cfg, "checkpoint");
    const FileIdentity then = get_identity(*checkpoint);
    if (!then.same_version(id))
      throw sdk::Error(
          IDSYNC_ERR_PRECONDITION,
          name + " changed since the interrupted full import (then " + describe(then) + "; now " +
              describe(id) +
              "), so its checkpoint cannot be resumed: restart the full import from the beginning");
    resume_at = {checkpoint->get_u64("off"), checkpoint->get_u64("line")};
    resume_count = checkpoint->get_u64("n");
  }

  std::optional<ChangeFileMark> change_start;
  if (o_.delta_mode == DeltaMode::change_file)
    change_start = checkpoint ? ChangeFileMark::get(*checkpoint, "cf_")
                   : folded   ? *folded
                              : change_file_end();

  const bool snapshots = o_.delta_mode == DeltaMode::snapshot && !o_.state_dir.empty();
  std::optional<SnapshotStore> store;
  std::optional<SnapshotWriter> snapshot;
  if (snapshots) {
    store.emplace(o_.state_dir);
    snapshot.emplace(*store, store->latest_generation() + 1, cfg);
  }

  const DiscoveredSchema* types = import_types(file, out);
  auto reader = make_reader(file, o_.format, ReadMode{});
  Pager pager(out, request.page_size);
  Record record;
  uint64_t count = 0, polled = 0;
  bool emitting = !checkpoint;

  auto mismatch = [&] {
    return sdk::Error(IDSYNC_ERR_PRECONDITION,
                      "the checkpoint does not match " + name + " (no record ends at byte " +
                          std::to_string(resume_at.offset) + ", line " +
                          std::to_string(resume_at.line) + " after " +
                          std::to_string(resume_count) +
                          " objects): restart the full import from the beginning");
  };
  auto make_checkpoint = [&] {
    StateToken t;
    t.set("op", "full").set_hex("cfg", cfg);
    put_identity(t, id);
    const Position p = reader->position();
    t.set_u64("off", p.offset).set_u64("line", p.line).set_u64("n", count);
    if (change_start) change_start->put(t, "cf_");
    return t.text();
  };
  if (!emitting && reader->position().offset >= resume_at.offset) {
    if (!(reader->position() == resume_at) || resume_count != 0) throw mismatch();
    emitting = true;
  }

  while (reader->next(record)) {
    poll_cancel(out, polled);
    if (types) types->coerce(record);
    if (o_.selected(record.object_type)) {
      ++count;
      if (snapshot)
        snapshot->add(anchor_hash(record.anchor), content_hash(record), record.object_type,
                      record.anchor);
      if (emitting) {
        emit(out, record, IDSYNC_CHANGE_STATE, reader->name(), o_.format);
        pager.emitted(make_checkpoint);
      }
    }
    if (!emitting && reader->position().offset >= resume_at.offset) {
      if (!(reader->position() == resume_at) || count != resume_count) throw mismatch();
      emitting = true;
    }
  }
  if (!emitting) throw mismatch();
  if (!file.identity().same_version(id))
    throw sdk::Error(IDSYNC_ERR_PRECONDITION,
                     name + " changed while it was being imported; run the import again");

  std::string watermark;
  if (snapshot) {
    const SnapshotHeader h = snapshot->commit();
    store->prune(h.generation - 1);
    watermark = SnapshotMark{h.generation, h.nonce}.text(cfg);
  } else if (change_start) {
    watermark = change_start->text(cfg);
  } else {
    diag().warn(
        "no state folder: the full import leaves no snapshot, so delta import is unavailable");
  }
  out.finish(true, watermark);
}

}  // namespace idsync::file
