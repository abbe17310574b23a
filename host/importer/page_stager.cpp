#include "importer/page_stager.hpp"

#include <algorithm>
#include <chrono>
#include <numeric>
#include <optional>
#include <unordered_map>
#include <utility>

#include "common/printable.hpp"
#include "importer/apply_change.hpp"
#include "importer/export_check.hpp"
#include "importer/first_import.hpp"
#include "importer/source_health.hpp"
#include "store/codec.hpp"
#include "store/connector_space.hpp"
#include "store/dirty_attributes.hpp"
#include "store/export_confirm.hpp"
#include "store/links.hpp"
#include "store/pending_export.hpp"
#include "store/run_history.hpp"
#include "store/sync_queue.hpp"

namespace idsync::importer {

using store::CsObject;
using store::Family;

PageStager::PageStager(store::Store& store, uint32_t connector_id, store::ImportProgress progress,
                       DeletePolicy deletes, store::SecretAttributes secrets)
    : store_(store),
      id_(connector_id),
      kind_(progress.kind),
      queue_for_sync_(store::ProgressRecords(store, connector_id).synced_once()),
      deletes_(deletes),
      secrets_(std::move(secrets)),
      progress_(std::move(progress)) {
  thread_ = std::thread([this] { committer(); });
}

PageStager::~PageStager() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void PageStager::add(ImportRecord&& record) {
  if (!secrets_.empty())
    std::erase_if(record.attributes, [&](const AttrChange& a) {
      if (!secrets_.contains(a.name)) return false;
      if (std::none_of(dropped_secrets_.begin(), dropped_secrets_.end(),
                       [&](const std::string& d) { return store::iequals(d, a.name); }))
        dropped_secrets_.push_back(a.name);
      return true;
    });
  record.canonical.clear();
  record.simple = (record.change == IDSYNC_CHANGE_STATE || record.change == IDSYNC_CHANGE_ADD) &&
                  canonical_.encode(record, record.canonical);
  page_.push_back(std::move(record));
}

store::ImportCounters PageStager::counters() const {
  std::lock_guard lock(mutex_);
  return progress_.counters;
}

std::vector<store::ObjectIssue> PageStager::issues() const {
  std::lock_guard lock(mutex_);
  return issues_;
}

void PageStager::committer() {
  std::unique_lock lock(mutex_);
  for (;;) {
    changed_.wait(lock, [&] { return stopping_ || job_; });
    if (!job_) return;  // stopping with nothing in flight
    Job& job = *job_;
    lock.unlock();
    std::exception_ptr failure;
    try {
      write_page(job.page, job.checkpoint);
    } catch (...) {
      failure = std::current_exception();
    }
    lock.lock();
    if (failure) failure_ = failure;
    job_.reset();
    changed_.notify_all();
  }
}

void PageStager::wait_idle() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return !job_; });
  if (failure_) std::rethrow_exception(std::exchange(failure_, nullptr));
}

void PageStager::discard() {
  page_.clear();
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return !job_; });
}

void PageStager::stage_records(std::vector<ImportRecord>& page, rocksdb::WriteBatch& batch,
                               std::vector<store::ObjectIssue>& issues) {
  if (page.empty()) return;
  const store::ConnectorSpace cs(store_, id_);

  std::unordered_map<std::string_view, Slot> slots;
  slots.reserve(page.size());
  std::vector<std::string> keys;
  std::vector<std::string_view> order;
  for (const auto& r : page) {
    auto [it, inserted] = slots.try_emplace(r.anchor);
    ++it->second.records;
    if (inserted) {
      keys.push_back(cs.object_key(r.anchor));
      order.push_back(r.anchor);
    }
  }
  // One MultiGet for the page: imports are dominated by these lookups. It reads the objects,
  // their export confirmations (few, and bloom-filtered: a page without any costs next to
  // nothing more) and, for a full import, the anchors' seen marks, to refuse an anchor the
  // connector already pushed. The keys are the same in every family: connector id + anchor.
  // RocksDB sorts a MultiGet's keys by family and key unless told they are sorted: sorting
  // the page's keys once here, for all the families, costs a fraction of that.
  const bool full = kind_ == store::ImportKind::full;
  std::vector<Family> lookups = {Family::cs, Family::export_confirm};
  if (full) lookups.push_back(Family::cs_seen);
  std::sort(lookups.begin(), lookups.end(), [&](Family a, Family b) {
    return store_.family(a)->GetID() < store_.family(b)->GetID();
  });
  const size_t n = keys.size();
  std::vector<size_t> by_key(n);
  std::iota(by_key.begin(), by_key.end(), size_t{0});
  std::sort(by_key.begin(), by_key.end(), [&](size_t a, size_t b) { return keys[a] < keys[b]; });
  std::vector<rocksdb::ColumnFamilyHandle*> families;
  std::vector<rocksdb::Slice> key_slices;
  families.reserve(lookups.size() * n);
  key_slices.reserve(lookups.size() * n);
  for (Family f : lookups) {
    families.insert(families.end(), n, store_.family(f));
    for (size_t k : by_key) key_slices.emplace_back(keys[k]);
  }
  std::vector<rocksdb::PinnableSlice> values(key_slices.size());
  std::vector<rocksdb::Status> statuses(key_slices.size());
  store_.db().MultiGet(rocksdb::ReadOptions(), key_slices.size(), families.data(),
                       key_slices.data(), values.data(), statuses.data(), /*sorted_input=*/true);
  for (size_t i = 0; i < key_slices.size(); ++i) {
    if (statuses[i].IsNotFound()) continue;
    store::check(statuses[i], "store " + store_.path().string() + ": read failed");
    Slot& slot = slots[order[by_key[i % n]]];
    const std::string_view value(values[i].data(), values[i].size());
    switch (lookups[i / n]) {
      case Family::cs:
        slot.original_value.emplace(value);
        break;
      case Family::export_confirm:
        slot.confirmation.emplace(value);
        break;
      case Family::cs_seen: {
        store::Decoder d(value);
        if (d.varint() == progress_.generation)
          slot.first_source.emplace(d.done() ? std::string_view() : d.bytes());
        break;
      }
      default:
        break;
    }
  }
  if (full) {
    // Refuse the whole page at its first repeated anchor, naming both places.
    for (const ImportRecord& r : page) {
      Slot& slot = slots[r.anchor];
      if (slot.first_source) {
        const std::string first =
            slot.first_source->empty() ? "an earlier record" : *slot.first_source;
        throw StagingError(IDSYNC_ERR_INVALID_VALUE,
                           (r.source.empty() ? std::string() : r.source + ": ") +
                               "duplicate anchor \"" + common::printable(r.anchor) +
                               "\" in one full import (first at " + first + ")");
      }
      slot.first_source.emplace(r.source);
    }
  }

  store::ImportCounters counters;
  std::string encoded;
  for (size_t i = 0; i < page.size(); ++i) {
    const ImportRecord& r = page[i];
    Slot& slot = slots[r.anchor];
    if (stage_simple(r, slot, cs, batch, counters)) continue;
    if (!slot.decoded) {
      slot.decoded = true;
      if (slot.original_value) {
        CsObject o;
        store::decode_cs_object(r.anchor, *slot.original_value, o);
        read_as_pending_add(store_, id_, queue_for_sync_, o);
        slot.original_dn = o.dn;
        slot.state = std::move(o);
      }
    }
    apply_record(r, slot.state, counters);
    slot.seen = r.change != IDSYNC_CHANGE_DELETE;
    if (slot.seen) slot.seen_record = &r;
  }

  // Objects that took the general path are written once, with their final state.
  for (std::string_view anchor : order) {
    Slot& slot = slots[anchor];
    if (!slot.decoded) continue;
    const std::string key = cs.object_key(anchor);
    if (slot.confirmation) check_confirmation(anchor, slot, batch, counters, issues);
    const std::string new_dn = slot.state ? slot.state->dn : std::string();
    if (slot.original_dn != new_dn) {
      if (!slot.original_dn.empty())
        batch.Delete(store_.family(Family::cs_dn), cs.dn_key(slot.original_dn));
      if (!new_dn.empty()) batch.Put(store_.family(Family::cs_dn), cs.dn_key(new_dn), anchor);
    }
    // Every write or delete of a record queues the object for sync, in the same batch (once the
    // connector has been synced: see ProgressRecords::synced_once).
    if (!slot.state) {
      if (slot.original_value) {
        batch.Delete(store_.family(Family::cs), key);
        batch.Delete(store_.family(Family::cs_seen), key);
        if (queue_for_sync_) store::SyncQueue::add_key(store_, batch, key);
      }
      continue;
    }
    if (slot.original_value && !slot.state->awaiting_add &&
        store::parse_cs_header(*slot.original_value).awaiting_add)
      withdraw_placeholder_add(anchor, batch);
    if (!queue_for_sync_ && slot.state->pending == store::PendingChange::add) {
      // Before the connector's first Full Sync, a new object is stored as a first import's:
      // that sync then need not rewrite its record (CsObject::first_import).
      slot.state->pending = store::PendingChange::none;
      slot.state->first_import = true;
    }
    encoded.clear();
    store::encode_cs_object(*slot.state, encoded);
    if (!slot.original_value || *slot.original_value != encoded) {
      batch.Put(store_.family(Family::cs), key, encoded);
      if (queue_for_sync_) store::SyncQueue::add_key(store_, batch, key);
    }
    if (full && slot.seen)
      batch.Put(store_.family(Family::cs_seen), key, seen_value(*slot.seen_record));
  }
  counters.pages = 1;
  std::lock_guard lock(mutex_);
  progress_.counters += counters;
}

void PageStager::check_confirmation(std::string_view anchor, const Slot& slot,
                                    rocksdb::WriteBatch& batch, store::ImportCounters& counters,
                                    std::vector<store::ObjectIssue>& issues) {
  // A deleted object has nothing left to compare; its confirmation goes all the same.
  if (slot.state && slot.state->pending != store::PendingChange::remove) {
    store::ExportConfirm exported;
    store::decode_export_confirm(*slot.confirmation, exported);
    std::string message = not_reimported(exported, *slot.state, secrets_);
    if (!message.empty()) {
      ++counters.not_reimported;
      issues.push_back({std::string(anchor), kNotReimportedIssue, std::move(message)});
    }
  }
  store::ExportConfirms(store_, id_).remove(batch, anchor);
}

void PageStager::withdraw_placeholder_add(std::string_view anchor, rocksdb::WriteBatch& batch) {
  // The add is not sent: the object is there. Its MV object is evaluated outbound again by the
  // next sync, which finds the imported state and plans only what differs from it.
  store::PendingExports(store_, id_).remove(batch, anchor);
  if (const auto mv = store::Links(store_).mv_of(id_, anchor))
    store::DirtyAttributes(store_).mark(batch, *mv, {}, true);
}

const std::string& PageStager::seen_value(const ImportRecord& r) {
  seen_.clear();
  store::Encoder e(seen_);
  e.varint(progress_.generation);
  e.bytes(r.source);
  return seen_;
}

bool PageStager::stage_simple(const ImportRecord& r, Slot& slot, const store::ConnectorSpace& cs,
                              rocksdb::WriteBatch& batch, store::ImportCounters& counters) {
  // Only the one complete record of an object in this page, and only a plain one; an object
  // whose export awaits checking needs its decoded state.
  if (slot.records != 1 || !r.simple || slot.confirmation) return false;
  const std::string& attributes = r.canonical;
  const std::string key = cs.object_key(r.anchor);
  if (!slot.original_value) {
    // A new object: a pending add, encoded directly; before the connector's first Full Sync,
    // a first import's object (CsObject::first_import).
    value_.clear();
    if (queue_for_sync_)
      store::encode_cs_header(store::PendingChange::add, r.object_type, r.dn, {}, {}, value_);
    else
      store::encode_first_import_header(r.object_type, r.dn, value_);
    value_.append(attributes);
    batch.Put(store_.family(Family::cs), key, value_);
    if (queue_for_sync_) store::SyncQueue::add_key(store_, batch, key);
    if (!r.dn.empty()) batch.Put(store_.family(Family::cs_dn), cs.dn_key(r.dn), r.anchor);
    ++counters.adds;
  } else {
    // Unchanged when the attribute bytes, DN and type are what is staged (a deleted object
    // coming back is not "unchanged").
    const store::CsHeaderView h = store::parse_cs_header(*slot.original_value);
    const std::string_view staged_attributes =
        std::string_view(*slot.original_value).substr(h.attributes_offset);
    if (h.pending == store::PendingChange::remove || h.awaiting_add ||
        staged_attributes != attributes || (!r.dn.empty() && r.dn != h.dn) ||
        (!r.object_type.empty() && r.object_type != h.object_type))
      return false;
    ++counters.unchanged;
  }
  ++counters.objects;
  if (kind_ == store::ImportKind::full)
    batch.Put(store_.family(Family::cs_seen), key, seen_value(r));
  return true;
}

// On the committer thread (or, with nothing in flight, the caller's): progress_ is read here
// and written under the mutex, and the caller never writes it while a page is in flight.
void PageStager::write_page(std::vector<ImportRecord>& page, const std::string& checkpoint) {
  rocksdb::WriteBatch batch;
  const store::ImportCounters before = progress_.counters;
  std::vector<store::ObjectIssue> issues;
  stage_records(page, batch, issues);
  store::ImportProgress next;
  {
    std::lock_guard lock(mutex_);
    progress_.checkpoint = checkpoint;
    next = progress_;
  }
  const store::ProgressRecords records(store_, id_);
  records.put_in_progress(batch, next);
  if (kind_ == store::ImportKind::full) records.put_last_generation(batch, next.generation);
  try {
    store_.write(batch);
  } catch (...) {
    std::lock_guard lock(mutex_);
    progress_.counters = before;  // the page is not in the store, so not in the totals either
    throw;
  }
  page.clear();
  std::lock_guard lock(mutex_);
  for (auto& issue : issues) {
    if (issues_.size() == store::kMaxListedIssues) break;
    issues_.push_back(std::move(issue));
  }
}

void PageStager::commit_page(std::string_view checkpoint) {
  wait_idle();
  {
    std::lock_guard lock(mutex_);
    job_.emplace(Job{std::move(page_), std::string(checkpoint)});
  }
  page_ = {};
  changed_.notify_all();
}

void PageStager::finish(bool all_results_returned, std::string_view watermark) {
  wait_idle();
  // Nothing is in flight now, so progress_ is this thread's to read.
  write_page(page_, progress_.checkpoint);
  const store::ProgressRecords records(store_, id_);
  rocksdb::WriteBatch batch;
  // An import that began on an empty connector space saw every object now in it.
  if (kind_ == store::ImportKind::full && all_results_returned && !progress_.started_empty) {
    // Counted before anything is staged, so that a broken source costs nothing to undo.
    const MissingObjects missing = count_missing(store_, id_, progress_.generation);
    if (source_unhealthy(missing, deletes_.limit, deletes_.allow_once)) {
      // The import did not complete: the watermark stays as it was, and with no import in
      // progress the next run is a new full import that reads the (perhaps repaired) source
      // again. The pages staged so far are real changes and stay.
      held_back_ = missing;
      records.clear_in_progress(batch);
      store_.write(batch);
      return;
    }
    if (missing.missing > 0) {
      const uint64_t deletes =
          stage_missing_as_deleted(store_, id_, progress_.generation, queue_for_sync_);
      std::lock_guard lock(mutex_);
      progress_.counters.deletes += deletes;
    }
  }
  records.put_watermark(batch, watermark);
  records.put_import_completed(batch, std::chrono::duration_cast<std::chrono::milliseconds>(
                                          std::chrono::system_clock::now().time_since_epoch())
                                          .count());
  records.clear_in_progress(batch);
  store_.write(batch);
}

}  // namespace idsync::importer
