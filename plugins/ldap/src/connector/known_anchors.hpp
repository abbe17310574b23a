// The anchors (entryUUIDs) the host holds for this connector at a given watermark, which the
// content-sync delta source needs when the server answers a refresh with a present phase: the
// server then lists what still exists, and everything the host holds that is not listed is
// deleted. Without a session log slapd always answers that way.
//
// What the host holds changes only through what an import commits, and the host commits the
// watermark with the import's last page. So the state is keyed by watermark:
//   - a full import writes its anchors page by page into a base file of its own (truncating what
//     an interrupted run appended after its last committed page) and, when it ends, a `base`
//     record naming the file and the watermark it started from;
//   - a delta import from W, before each page it commits, writes an `adds` record with that
//     page's new anchors, and before its import_end a `delta` record W -> W' with the rest of
//     its additions and all its deletions.
// The set at W is the base the chain of `delta` records leading back from W starts at, with
// the deletions of the chain's records, and the additions of every record after that base.
// Additions are taken from every record, also of imports that were interrupted or whose
// import_end never committed, because their committed pages may still be in the host: the set
// may hold too many anchors, never too few. Too many only costs a DELETE for an anchor the host
// does not have (which it ignores); too few would leave deleted objects in the host. Deletions
// are taken only from the chain, because only there did the host surely commit them.
//
// Reading the set costs the base plus the journal; it is read only when a present phase comes.
// Appending costs the change. When the journal outgrows its base, compact() replaces it with
// one base at the watermark the host last committed.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "anchor_journal.hpp"
#include "entry_uuid.hpp"

namespace idsync::ldap {

class KnownAnchors {
 public:
  // `folder`: where the files live (created on first write). Empty: nothing is remembered and
  // every set is unknown.
  explicit KnownAnchors(std::string folder);

  bool enabled() const { return !folder_.empty(); }

  // From the full import that started at `watermark` (see DeltaSource).
  void full_import_page(const std::string& watermark, const std::vector<Uuid>& anchors,
                        uint64_t anchors_before);
  // False when the pages did not all reach the base file (the folder changed under the import):
  // the set at `watermark` then stays unknown.
  bool full_import_finished(const std::string& watermark, uint64_t anchors);

  // From a delta import that started at `from`.
  void record_adds(const std::string& from, const std::vector<Uuid>& added);
  void record_delta(const std::string& from, const std::string& to, const std::vector<Uuid>& added,
                    const std::vector<Uuid>& deleted);

  // The anchors known at `watermark`, sorted and unique; nullopt when they are not known (no
  // full import since this state began, or its files were lost).
  std::optional<std::vector<Uuid>> at(const std::string& watermark) const;

  // Called with the watermark the host committed last (a delta import's starting point): when
  // the journal has grown larger than its bases, rewrites it as a single base at `watermark`
  // and removes the files nothing refers to any more.
  void compact(const std::string& watermark);

 private:
  std::string path(const std::string& name) const;
  static std::string base_file_name(const std::string& watermark, const char* prefix);
  // Removes the base files in the folder that no record of `records` names, except `keep`.
  void remove_unreferenced(const std::vector<JournalRecord>& records, const std::string& keep);
  void ensure_folder() const;

  std::string folder_;
  mutable AnchorJournal journal_;
};

}  // namespace idsync::ldap
