// The metaverse as one sync batch sees it: the committed store plus the batch's own changes.
//
// RocksDB does not let a reader see writes still in a WriteBatch, yet a later object of a batch
// must see what an earlier one did (a projected person is the join target of the next object,
// a link just removed frees the MV object for another). So the batch keeps its MV objects,
// links and new join-index values here, answers reads from them first, and writes the net
// changes into the WriteBatch once, at flush(): every MV object once, links as raw keys (so an
// unlink followed by a relink in one batch is fine), join-index updates from the committed state
// to the final one, and the dirty marks.
#pragma once

#include <rocksdb/write_batch.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "store/dirty_attributes.hpp"
#include "store/join_index.hpp"
#include "store/links.hpp"
#include "store/metaverse.hpp"
#include "store/store.hpp"
#include "sync/batch_reads.hpp"

namespace idsync::sync {

class BatchOverlay {
 public:
  // `join_attributes` must outlive the overlay.
  BatchOverlay(store::Store& store, const std::vector<std::string>& join_attributes);

  // The current state of an MV object (tombstones included); nullptr when there is none.
  const store::MvObject* mv(uint64_t id);
  // Replaces (or creates) an MV object and adds marks for outbound sync: `changed` attribute
  // names, and `object_changed` for projections, deletions and link changes. `value_changes`
  // (each naming one of `changed`, as spelled there) say how those attributes' values changed,
  // so that outbound sync can pass on the change alone.
  void put_mv(store::MvObject object, const std::vector<std::string>& changed, bool object_changed,
              std::vector<store::ValueChange> value_changes = {});

  // put_mv for an object whose id was just allocated: nothing to read from the store.
  void put_new_mv(store::MvObject object, const std::vector<std::string>& changed);

  // Marks the MV object for outbound sync as a whole (without changing it).
  void touch(uint64_t id);

  std::optional<uint64_t> mv_of(uint32_t connector_id, std::string_view anchor) const;
  // Takes the committed state a batch of `connector_id`'s objects read at once before its sync
  // (batch_reads.hpp: links, MV objects, join candidates and their links), which mv_of, mv(),
  // find(), anchor_of and links_of answer from until flush(), below the batch's own changes.
  // Only changes made through this overlay happen in the batch meanwhile (which it sees
  // first), and the batch's own join index changes are kept apart (added_values_) with
  // candidates checked against current values, so the answers stay current. What `reads`
  // lacks is read on first need.
  void adopt(uint32_t connector_id, BatchReads& reads);
  std::optional<std::string> anchor_of(uint64_t mv_id, uint32_t connector_id) const;
  std::vector<store::Link> links_of(uint64_t mv_id) const;
  // Callers keep the invariants of store::Links: unlink a CS object before linking it
  // elsewhere, and never link an MV object to two objects of one connector.
  void link(uint32_t connector_id, std::string_view anchor, uint64_t mv_id);
  void unlink(uint32_t connector_id, std::string_view anchor);

  // Live MV objects of `mv_type` holding `value` in `attribute` (one of the join attributes):
  // the committed index plus this batch's changes, checked against current values.
  std::vector<uint64_t> find(std::string_view mv_type, std::string_view attribute,
                             std::string_view value, bool case_sensitive);

  // An MV object take_marks() is about to offer, with its links.
  struct Marked {
    const store::MvObject* mv = nullptr;
    const std::vector<store::Link>* links = nullptr;
  };
  // Offers each MV object this batch marked for outbound sync, in id order, to `evaluate`
  // (the object, its marks, its links): when it returns true, it has dealt with the marks and
  // flush() does not write them. `prepare`, when given, first sees every object about to be
  // offered (the caller reads what the evaluations will need at once).
  void take_marks(const std::function<bool(const store::MvObject&, const store::DirtySet&,
                                           const std::vector<store::Link>&)>& evaluate,
                  const std::function<void(const std::vector<Marked>&)>& prepare = {});

  // Writes the net changes into `batch` and forgets them.
  void flush(rocksdb::WriteBatch& batch);
  // The MV objects and links the last flush() forgot, for the caller to free where it costs the
  // step nothing (ReadAhead::discard); null once taken. The next flush() frees what is not.
  std::shared_ptr<void> take_spent() { return std::move(spent_); }

 private:
  struct Entry {
    std::optional<store::MvObject> committed;  // as in the store when first read
    // The object as the batch put it, once it has (it may differ from committed). Most objects
    // a batch reads it never changes: they are not copied.
    std::optional<store::MvObject> written;
    bool created = false;  // projected in this batch: nothing of it is in the store yet
    store::DirtySet marks;
    bool marks_taken = false;  // take_marks() dealt with them
    const store::MvObject& current() const { return written ? *written : *committed; }
  };
  Entry* load(uint64_t id);
  // committed_links() for the ids not read yet (nor projected in the batch), with one iterator.
  void prefetch_committed_links(std::vector<uint64_t> ids);
  // The committed links of an MV object, read once per batch: a join asks whether the target
  // has an object of the connector already, and outbound flow needs every link of it.
  const std::vector<store::Link>& committed_links(uint64_t mv_id) const;
  void index_values(const store::MvObject& object);

  store::Store& store_;
  const std::vector<std::string>& join_attributes_;
  store::Links links_;
  store::JoinIndex join_;
  std::unordered_map<uint64_t, Entry> mvs_;
  std::shared_ptr<void> spent_;                 // take_spent()
  std::unordered_map<uint64_t, bool> missing_;  // ids read and found absent
  mutable std::unordered_map<uint64_t, std::vector<store::Link>> committed_links_;
  std::map<std::pair<uint32_t, std::string>, std::optional<uint64_t>> cs_links_;
  // adopt(): the connector, and its anchors' committed links (nullopt: unlinked).
  uint32_t prefetched_connector_ = 0;
  common::StringMap<std::optional<uint64_t>> prefetched_links_;
  std::map<std::pair<uint64_t, uint32_t>, std::optional<std::string>> mv_links_;
  // JoinIndex-style keys (type, attribute, value: lowercased) -> ids given that value here.
  std::unordered_map<std::string, std::vector<uint64_t>> added_values_;
  // adopt(): JoinIndex::value_prefix -> the committed index's ids for it.
  common::StringMap<std::vector<uint64_t>> prefetched_joins_;
};

}  // namespace idsync::sync
