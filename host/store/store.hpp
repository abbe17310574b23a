// The RocksDB store: one database, column families by purpose. Opening checks the schema
// version and migrates older stores in place.
//
// Column families (keys start with the 4-byte big-endian connector id where per connector):
//   meta      schema_version; connector/<name> -> id; next_connector_id
//   cs        id + anchor          -> CsObject (codec.hpp)
//   cs_dn     id + lowercase(dn)   -> anchor
//   cs_seen   id + anchor          -> generation of the last full import that saw it
//   progress  id + "wm"            -> committed watermark
//             id + "run"           -> the import in progress (ImportProgress)
//             id + "gen"           -> the last full-import generation handed out
//             id + "members/" + g  -> members of group g as last synced (sync/membership_watch.hpp)
//   runs      run id (u64 BE)      -> run history record (JSON text)
// The sync engine's families (docs/sync-engine.md; each has its own header for its layout):
//   mv, mv_join, link_cs, link_mv, sync_queue, mv_dirty, pending_export, export_confirm,
//   ref_wait, mv_ref, cs_disconnector (id + anchor -> empty: an explicit disconnector, which
//   join rules never join again; written when a rule's deprovisioning leaves the object)
// They need no migration: a read-write open creates them empty; a read-only open of a store
// written before they existed reads them as empty.
#pragma once

#include <rocksdb/db.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace idsync::store {

class BatchWriter;
class WrittenKeys;

class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The schema version this build writes. Older stores are migrated at open; newer ones refused.
constexpr uint32_t kSchemaVersion = 1;

enum class Family {
  meta,
  cs,
  cs_dn,
  cs_seen,
  progress,
  runs,
  mv,
  mv_join,
  link_cs,
  link_mv,
  sync_queue,
  mv_dirty,
  pending_export,
  export_confirm,
  ref_wait,
  mv_ref,
  cs_disconnector,
};
constexpr size_t kFamilyCount = static_cast<size_t>(Family::cs_disconnector) + 1;

class Store {
 public:
  // Opens (creating when missing) the store at `path`. Throws StoreError naming the path when
  // the store is in use by another process, was written by a newer idsync, or is damaged.
  static std::unique_ptr<Store> open(const std::filesystem::path& path);
  // Opens for reading only, beside a process that may be writing (the CLI's read commands
  // next to the daemon). Sees the data as of the open. Throws StoreError when there is no
  // store at `path` yet.
  static std::unique_ptr<Store> open_read_only(const std::filesystem::path& path);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  const std::filesystem::path& path() const { return path_; }
  uint32_t schema_version() const { return schema_version_; }

  // The stable id of a connector name, allocated on first use. Safe from any thread.
  uint32_t connector_id(std::string_view connector_name);
  // The id when the connector has ever been used, without allocating one. Safe from any thread.
  std::optional<uint32_t> find_connector_id(std::string_view connector_name) const;

  // Admin settings in the `meta` family (the scheduler, connector overrides, staging mode,
  // deletion thresholds): small records that no step's batch writes. These go straight to
  // RocksDB, so they are safe from any thread, beside a step running on another (the daemon
  // answers `idsync scheduler set` while a cycle runs). put_setting() is durable when it
  // returns; a null value deletes the setting.
  std::optional<std::string> get_setting(std::string_view key) const;
  void put_setting(std::string_view key, const std::optional<std::string>& value);

  rocksdb::DB& db() { return *db_; }
  // Null only in a read-only store that predates the family (see has_family).
  rocksdb::ColumnFamilyHandle* family(Family f) const { return handles_[static_cast<size_t>(f)]; }
  // False only for a read-only open of a store written before the family existed.
  bool has_family(Family f) const { return family(f) != nullptr; }

  // Makes a consistent copy of the whole store in `dir` (which must not exist), as of now:
  // table files are hard-linked where the filesystem allows, so it costs little whatever the
  // store's size. Previews (idsync object trace) run the engine on such a copy and delete it.
  // Needs a read-write open. Throws StoreError.
  void checkpoint(const std::filesystem::path& dir);

  // Compacts the keys of family `f` that start with `prefix` (all of them when empty). The
  // sync_queue and mv_dirty families are work lists: a step that consumed many entries leaves
  // as many tombstones, which every scan of the list steps over until RocksDB compacts them in
  // its own time. Compacting right away keeps the next step's cost in proportion to its own
  // work; the families are small, so it is cheap. Throws StoreError.
  void compact(Family f, std::string_view prefix = {});
  // Whether RocksDB still has flushes or compactions to do or doing: the cost a large write
  // leaves behind it, which the next steps share the machine with until it is paid.
  bool background_work_pending() const;

  // Writes a batch durably enough to survive a process crash (the WAL is on). Waits for a
  // batch given to write_behind() first.
  void write(rocksdb::WriteBatch& batch);

  // Writes `batch` on a second thread (batch_writer.hpp) and returns at once, having waited
  // for the batch before it. Until it is written, reads of the keys it writes wait for it,
  // so every read sees it as written. For the batches of a step that has its next batch to
  // compute meanwhile; the step must end with wait_for_writes(), which reports a failed
  // write. Only the thread that calls write_behind() may use the store until then.
  void write_behind(rocksdb::WriteBatch&& batch);
  // Waits until the batch given to write_behind() is written. Throws StoreError when that
  // write failed: the batch is not in the store.
  void wait_for_writes() const;

  // Reading ahead of the writes, on another thread (sync/read_ahead.hpp). While a
  // ReadAheadScope lives on a thread, that thread's reads skip the checks against the batch in
  // flight, which only write_behind()'s thread may make: they see the store as written so far,
  // with or without the batches not waited for yet. So whoever uses what such a reader read
  // drops what those batches may have changed (written_after).
  class ReadAheadScope {
   public:
    ReadAheadScope();
    ~ReadAheadScope();
    ReadAheadScope(const ReadAheadScope&) = delete;
    ReadAheadScope& operator=(const ReadAheadScope&) = delete;

   private:
    bool outer_;
  };
  // Batches given to write_behind() are numbered from 1 in that order. How many of them were
  // waited for (every one of those is written); on write_behind()'s thread.
  uint64_t batches_waited() const;
  // The keys of the batches given to write_behind() after the first `after`, oldest first, when
  // the store still has them all (it keeps the batch in flight and the one waited for last);
  // nullopt otherwise. On write_behind()'s thread; valid until its next write_behind().
  std::optional<std::vector<const WrittenKeys*>> written_after(uint64_t after) const;
  // How many batches write() wrote: their keys are not kept, so reads taken ahead of one are
  // not used.
  uint64_t direct_writes() const { return direct_writes_; }

  // Not found (or a missing family) gives nullopt.
  std::optional<std::string> get(Family f, std::string_view key) const;
  // Many lookups in one RocksDB MultiGet: result i is the value of keys[i] in families[i]
  // (nullopt when absent). Far cheaper than as many get() calls when a batch of objects needs
  // the same few keys each.
  std::vector<std::optional<std::string>> multi_get(const std::vector<Family>& families,
                                                    const std::vector<std::string>& keys) const;
  // An iterator over a family; over a missing family, an empty one. Callers set bounds in
  // `options` (which must outlive the iterator). It orders over the whole family, unless
  // `lookup_prefix`: then it sees only keys with the lookup prefix of the key it seeks to, and
  // skips the table files whose prefix filter says they hold none (lookup_prefixes.hpp).
  std::unique_ptr<rocksdb::Iterator> iterator(Family f, const rocksdb::ReadOptions& options,
                                              bool lookup_prefix = false) const;
  // One lookup-prefix iterator (as above) for seeks to each of `prefixes` in turn, made once
  // instead of once per prefix: making an iterator costs about as much as a seek that finds
  // nothing. Only the keys starting with one of `prefixes` may be read through it (the batch
  // in flight is waited for when it writes any of them).
  std::unique_ptr<rocksdb::Iterator> lookup_iterator(
      Family f, const std::vector<std::string_view>& prefixes) const;

 private:
  Store() = default;
  static std::unique_ptr<Store> open_impl(const std::filesystem::path& path, bool read_only);
  void check_schema();

  // A read of `key` (or of the keys in [lower, upper)) of `f` waits for the batch in flight
  // when that batch writes there.
  void before_read(Family f, std::string_view key) const;
  void before_scan(Family f, std::string_view lower, std::string_view upper) const;

  std::filesystem::path path_;
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<int> family_of_cf_;  // RocksDB column family id -> Family index, -1 for others
  // Started by the first write_behind(); ~Store stops it before closing the database.
  mutable std::unique_ptr<BatchWriter> writer_;
  std::mutex connector_ids_mutex_;  // one allocation of a connector id at a time
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  uint32_t schema_version_ = 0;
  uint64_t direct_writes_ = 0;  // write()s, on the writing thread
  bool read_only_ = false;
};

// For a step that uses Store::write_behind(): on the way out by an exception, waits for the
// batch in flight (a failure of that write is dropped: the step fails anyway, and its rerun
// resumes from what is in the store). A step that ends normally calls wait_for_writes().
class WritesFinishedOnExit {
 public:
  explicit WritesFinishedOnExit(const Store& store) : store_(store) {}
  ~WritesFinishedOnExit() {
    try {
      store_.wait_for_writes();
    } catch (const StoreError&) {
    }
  }
  WritesFinishedOnExit(const WritesFinishedOnExit&) = delete;
  WritesFinishedOnExit& operator=(const WritesFinishedOnExit&) = delete;

 private:
  const Store& store_;
};

// Throws StoreError with `what` and the RocksDB status text when !status.ok().
void check(const rocksdb::Status& status, std::string_view what);

// Key helpers.
std::string connector_prefix(uint32_t connector_id);
std::string connector_key(uint32_t connector_id, std::string_view suffix);

}  // namespace idsync::store
