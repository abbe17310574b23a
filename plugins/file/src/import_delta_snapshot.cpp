// Delta import by comparison with the snapshot of the previous import (delta_mode snapshot).
//
// The watermark names a snapshot generation (and its nonce); that snapshot is the state the host
// holds. The current file is streamed: every object whose anchor is new or whose content hash
// differs is emitted as IDSYNC_CHANGE_STATE (the host works out add vs. update), then every
// snapshot entry whose anchor was not seen is emitted as IDSYNC_CHANGE_DELETE, in snapshot file
// order. A new snapshot of the current file is written along the way and committed before
// import_end; the new watermark names it.
//
// Memory: one 24-byte slot per snapshot entry (anchor hash, content hash, entry offset with a
// "seen" bit) plus the duplicate-anchor set. A hash match is confirmed against the anchor in the
// snapshot file, so two anchors with the same 64-bit hash are told apart.
//
// Checkpoints name the phase: "scan" with the file offset/line/object count as for a full
// import, or "delete" with the offset of the next snapshot entry. Resuming replays the scan
// silently (to rebuild the seen bits and the new snapshot) and continues where it stopped.
#include <algorithm>

#include "anchor_set.hpp"
#include "file_connector.hpp"
#include "hash.hpp"
#include "hash_index.hpp"
#include "record_reader.hpp"
#include "snapshot.hpp"
#include "source_error.hpp"

namespace idsync::file {
namespace {

constexpr uint64_t kSeen = uint64_t{1} << 63;

struct BaseSlot {
  uint64_t content_hash;
  uint64_t offset;  // of the snapshot entry, | kSeen once the current file had the anchor
};

}  // namespace

void FileConnector::delta_from_snapshot(const sdk::ImportRequest& request, sdk::ImportWriter& out) {
  const uint64_t cfg = o_.fingerprint();
  if (o_.state_dir.empty())
    throw sdk::Error(IDSYNC_ERR_PRECONDITION,
                     "snapshot delta import needs a state folder, and the host gave none");
  if (request.watermark.empty())
    throw sdk::Error(IDSYNC_ERR_PRECONDITION, "no watermark: run a full import first");
  const SnapshotMark base_mark = SnapshotMark::parse(request.watermark, cfg);
  SnapshotStore store(o_.state_dir);
  const std::string base_path = store.path_of(base_mark.generation);
  SnapshotReader base(base_path);
  if (base.header().nonce != base_mark.nonce || base.header().config != cfg ||
      base.header().generation != base_mark.generation)
    throw sdk::Error(IDSYNC_ERR_PRECONDITION,
                     "the snapshot the watermark names (generation " +
                         std::to_string(base_mark.generation) +
                         ") is not in the state folder any more; run a full import");

  InputFile file(o_.path);
  const FileIdentity id = file.identity();
  const std::string name = display_name(o_.path);

  std::optional<StateToken> checkpoint;
  bool resume_in_delete = false;
  Position resume_at;
  uint64_t resume_count = 0, resume_entry = 0;
  if (!request.checkpoint.empty()) {
    checkpoint = StateToken::parse(request.checkpoint, "checkpoint");
    expect_token(*checkpoint, "op", "delta", "the checkpoint");
    expect_config(*checkpoint, cfg, "checkpoint");
    if (checkpoint->get_u64("gen") != base_mark.generation ||
        checkpoint->get_hex("nonce") != base_mark.nonce)
      throw sdk::Error(IDSYNC_ERR_PRECONDITION,
                       "the checkpoint belongs to another watermark; restart the delta import");
    const FileIdentity then = get_identity(*checkpoint);
    if (!then.same_version(id))
      throw sdk::Error(IDSYNC_ERR_PRECONDITION,
                       name + " changed since the interrupted delta import (then " +
                           describe(then) + "; now " + describe(id) +
                           "), so its checkpoint cannot be resumed: restart the delta import");
    resume_in_delete = checkpoint->get("phase") == "delete";
    resume_at = {checkpoint->get_u64("off"), checkpoint->get_u64("line")};
    resume_count = checkpoint->get_u64("n");
    if (resume_in_delete) resume_entry = checkpoint->get_u64("entry");
  }

  // Index the base snapshot.
  HashIndex<BaseSlot> index(base.header().count);
  {
    SnapshotEntry e;
    uint64_t n = 0;
    while (base.next(e)) {
      index.insert(e.anchor_hash, BaseSlot{e.content_hash, e.offset});
      ++n;
    }
    if (n != base.header().count)
      throw sdk::Error(IDSYNC_ERR_PRECONDITION,
                       "snapshot " + base_path + " is damaged (entry count); run a full import");
  }
  SnapshotReader lookup(base_path);

  SnapshotWriter snapshot(store, store.latest_generation() + 1, cfg);
  const DiscoveredSchema* types = import_types(file, out);
  auto reader = make_reader(file, o_.format, ReadMode{});
  AnchorSet anchors(scratch_dir(), &hash64, base.header().count);
  Pager pager(out, request.page_size);
  Record record;
  uint64_t count = 0, polled = 0, entry_position = 0;
  bool emitting = !checkpoint;
  bool deleting = false;

  auto mismatch = [&] {
    return sdk::Error(IDSYNC_ERR_PRECONDITION, "the checkpoint does not match " + name +
                                                   " or the snapshot: restart the delta import");
  };
  auto make_checkpoint = [&] {
    StateToken t;
    t.set("op", "delta")
        .set_hex("cfg", cfg)
        .set_u64("gen", base_mark.generation)
        .set_hex("nonce", base_mark.nonce);
    put_identity(t, id);
    const Position p = reader->position();
    t.set_u64("off", p.offset).set_u64("line", p.line).set_u64("n", count);
    t.set("phase", deleting ? "delete" : "scan");
    if (deleting) t.set_u64("entry", entry_position);
    return t.text();
  };
  auto reached_checkpoint = [&] {
    if (emitting || resume_in_delete || reader->position().offset < resume_at.offset) return;
    if (!(reader->position() == resume_at) || count != resume_count) throw mismatch();
    emitting = true;
  };
  reached_checkpoint();

  while (reader->next(record)) {
    poll_cancel(out, polled);
    if (types) types->coerce(record);
    if (const uint64_t first = anchors.insert(record.anchor, record.line))
      throw_at(reader->name(), record.line,
               "duplicate anchor " + quoted(record.anchor) + " (first at line " +
                   std::to_string(first) + ")");
    if (o_.selected(record.object_type)) {
      ++count;
      const uint64_t ah = anchor_hash(record.anchor);
      const uint64_t ch = content_hash(record);
      snapshot.add(ah, ch, record.object_type, record.anchor);
      bool changed = true;
      index.find_if(ah, [&](BaseSlot& s) {
        if (lookup.at(s.offset & ~kSeen).anchor != record.anchor) return false;  // hash collision
        changed = s.content_hash != ch;
        s.offset |= kSeen;
        return true;
      });
      if (changed && emitting) {
        emit(out, record, IDSYNC_CHANGE_STATE, reader->name(), o_.format);
        pager.emitted(make_checkpoint);
      }
    }
    reached_checkpoint();
  }
  if (!file.identity().same_version(id))
    throw sdk::Error(IDSYNC_ERR_PRECONDITION,
                     name + " changed while it was being imported; run the import again");
  if (resume_in_delete) {
    if (!(reader->position() == resume_at) || count != resume_count) throw mismatch();
    emitting = true;
  }
  if (!emitting) throw mismatch();

  // Deletes: snapshot entries whose anchor the current file no longer has. Entries of types the
  // manifest no longer selects are out of scope, not deleted.
  deleting = true;
  SnapshotReader entries(base_path);
  if (resume_in_delete) entries.seek(resume_entry);
  SnapshotEntry e;
  while (entries.next(e)) {
    poll_cancel(out, polled);
    entry_position = entries.position();
    bool seen = false;
    index.find_if(e.anchor_hash, [&](BaseSlot& s) {
      if ((s.offset & ~kSeen) != e.offset) return false;
      seen = (s.offset & kSeen) != 0;
      return true;
    });
    if (seen || !o_.selected(e.object_type)) continue;
    out.begin(IDSYNC_CHANGE_DELETE, e.object_type, e.anchor, {});
    out.end();
    pager.emitted(make_checkpoint);
  }

  const SnapshotHeader h = snapshot.commit();
  // Keep the base too until the host has moved past it: if import_end never reaches the host,
  // the same delta import can run again from the same watermark.
  store.prune(std::min(base_mark.generation, h.generation - 1));
  out.finish(true, SnapshotMark{h.generation, h.nonce}.text(cfg));
}

}  // namespace idsync::file
