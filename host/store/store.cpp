#include "store/store.hpp"

#include <rocksdb/cache.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>
#include <rocksdb/utilities/checkpoint.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <iterator>

#include "store/batch_writer.hpp"
#include "store/codec.hpp"
#include "store/dirty_attributes.hpp"
#include "store/lookup_prefixes.hpp"
#include "store/migrations.hpp"
#include "store/prefix_scan.hpp"

namespace idsync::store {

namespace {

const char* const kFamilyNames[] = {"meta",
                                    "cs",
                                    "cs_dn",
                                    "cs_seen",
                                    "progress",
                                    "runs",
                                    "mv",
                                    "mv_join",
                                    "link_cs",
                                    "link_mv",
                                    "sync_queue",
                                    "mv_dirty",
                                    "pending_export",
                                    "export_confirm",
                                    "ref_wait",
                                    "mv_ref",
                                    "cs_disconnector"};
static_assert(std::size(kFamilyNames) == kFamilyCount);
constexpr char kSchemaKey[] = "schema_version";
constexpr char kNextIdKey[] = "next_connector_id";
constexpr char kConnectorKeyPrefix[] = "connector/";

// Uncompressed data blocks, shared by every family. A sync step reads again what the import
// before it read (a changed object's record, its links, its MV object), and without a cache each
// read decompresses its block again; each family's own 8 MiB default is too small to keep a
// cycle's working set of a large store.
constexpr size_t kBlockCacheBytes = 128u << 20;

// Memtables: one budget shared by every family, and each family's own limit within it. In a
// large cycle most bytes go to a few families (connector-space records, MV objects, pending
// exports); the larger their memtables, the fewer and larger the level-0 files they flush, and
// the less compaction rewrites them on the way down. At 1,000,000 objects a 256 MiB budget with
// 64 MiB per family took about 6% off the Initial cycle (medians of interleaved runs against
// 64 MiB with 16 MiB per family, docs/benchmarks.md), for about 200 MiB more peak memory in a
// cycle that large. A small store never fills them: memtables grow only as data is written.
constexpr size_t kMemtableBudgetBytes = 256u << 20;
constexpr size_t kFamilyMemtableBytes = 64u << 20;

// `point_lookups`: a family whose keys are looked up whole. `lookup_prefix`: a family read by
// exact lookup prefixes (lookup_prefixes.hpp), and by whole keys too when `point_lookups`.
// Either gets bloom filters of what it is looked up by, in every table file and memtable.
//
// A filter pays for hits as well as for misses: a key lives in one level, and a lookup that
// cannot rule out the levels above it reads a block of each (a seek, one of every level). In a
// large store those blocks are rarely in the cache, which is most of what a Delta Sync of
// objects untouched since the last Full Sync costs.
rocksdb::ColumnFamilyOptions family_options(
    bool point_lookups, const std::shared_ptr<rocksdb::Cache>& cache,
    std::shared_ptr<const rocksdb::SliceTransform> lookup_prefix = nullptr) {
  rocksdb::ColumnFamilyOptions options;
  options.write_buffer_size = kFamilyMemtableBytes;
  options.max_write_buffer_number = 4;
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = cache;
  // Imports look up every incoming anchor; a bloom filter makes misses nearly free.
  if (point_lookups || lookup_prefix) table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  if (lookup_prefix) {
    table.whole_key_filtering = point_lookups;
    options.prefix_extractor = std::move(lookup_prefix);
  }
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  // The same for the memtables, where lookups otherwise walk the skip list.
  if (point_lookups) options.memtable_whole_key_filtering = true;
  if (point_lookups || options.prefix_extractor) options.memtable_prefix_bloom_size_ratio = 0.05;
  return options;
}

std::string encode_u32(uint32_t v) {
  std::string s;
  Encoder(s).u32be(v);
  return s;
}

}  // namespace

void check(const rocksdb::Status& status, std::string_view what) {
  if (!status.ok()) throw StoreError(std::string(what) + ": " + status.ToString());
}

std::string connector_prefix(uint32_t connector_id) { return encode_u32(connector_id); }

std::string connector_key(uint32_t connector_id, std::string_view suffix) {
  std::string key = encode_u32(connector_id);
  key.append(suffix);
  return key;
}

std::unique_ptr<Store> Store::open(const std::filesystem::path& path) {
  return open_impl(path, false);
}

std::unique_ptr<Store> Store::open_read_only(const std::filesystem::path& path) {
  if (!std::filesystem::exists(path / "CURRENT"))
    throw StoreError("store " + path.string() + " does not exist yet: run an import first");
  return open_impl(path, true);
}

std::unique_ptr<Store> Store::open_impl(const std::filesystem::path& path, bool read_only) {
  std::unique_ptr<Store> store(new Store());
  store->path_ = path;
  store->read_only_ = read_only;
  if (!read_only) {
    std::error_code ec;
    std::filesystem::create_directories(path, ec);
    if (ec)
      throw StoreError("store " + path.string() + ": cannot create the folder: " + ec.message());
  }

  rocksdb::DBOptions options;
  options.create_if_missing = true;
  options.create_missing_column_families = true;
  options.max_background_jobs = 2;
  options.keep_log_file_num = 5;
  // One memory budget for every family's memtables: a full import of any size then holds at
  // most this much unflushed data, instead of each family growing to its own limit.
  options.db_write_buffer_size = kMemtableBudgetBytes;

  // A read-only open cannot create families, so it opens those the store has; the families
  // this build added since the store was written then read as empty.
  std::vector<std::string> existing;
  if (read_only)
    check(rocksdb::DB::ListColumnFamilies(options, path.string(), &existing),
          "store " + path.string() + ": cannot list column families");
  const std::shared_ptr<rocksdb::Cache> cache = rocksdb::NewLRUCache(kBlockCacheBytes);
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  std::vector<size_t> opened;  // Family index of families[i + 1]
  families.emplace_back(rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions());
  for (size_t i = 0; i < kFamilyCount; ++i) {
    const std::string_view n(kFamilyNames[i]);
    if (read_only && std::find(existing.begin(), existing.end(), n) == existing.end()) continue;
    const bool point = n == "cs" || n == "cs_dn" || n == "cs_seen" || n == "link_cs" ||
                       n == "link_mv" || n == "mv" || n == "pending_export" ||
                       n == "export_confirm" || n == "cs_disconnector";
    const Family f = static_cast<Family>(i);
    rocksdb::ColumnFamilyOptions family =
        family_options(point, cache,
                       f == Family::mv_join    ? join_value_prefix()
                       : f == Family::ref_wait ? awaited_object_prefix()
                       : f == Family::link_mv  ? mv_id_prefix()
                                               : nullptr);
    // Marks of changed attributes merge in the store, so marking needs no read.
    if (f == Family::mv_dirty) family.merge_operator = dirty_attributes_merge_operator();
    families.emplace_back(kFamilyNames[i], family);
    opened.push_back(i);
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  rocksdb::Status s;
  for (int attempt = 0;; ++attempt) {
    s = read_only ? rocksdb::DB::OpenForReadOnly(options, path.string(), families, &handles, &db)
                  : rocksdb::DB::Open(options, path.string(), families, &handles, &db);
    // A writer beside a read-only open may delete a table file between the reader's reading of
    // the file list and its opening of the file (a compaction finished meanwhile). A new
    // attempt reads the new list.
    const bool file_went = !s.ok() && (s.IsIOError() || s.IsCorruption()) &&
                           s.ToString().find("No such file") != std::string::npos;
    if (!read_only || !file_went || attempt == 4) break;
    handles.clear();
  }
  if (!s.ok()) {
    if (s.IsIOError() && s.ToString().find("lock") != std::string::npos)
      throw StoreError("store " + path.string() +
                       " is in use by another idsync process (stop it or use its control API)");
    throw StoreError("store " + path.string() + ": cannot open: " + s.ToString());
  }
  store->db_.reset(db);
  // handles[0] is the default family; keep it last so that it is released with the others.
  store->handles_.assign(kFamilyCount + 1, nullptr);
  for (size_t i = 0; i < opened.size(); ++i) store->handles_[opened[i]] = handles[i + 1];
  store->handles_[kFamilyCount] = handles[0];
  for (size_t i = 0; i < kFamilyCount; ++i) {
    if (!store->handles_[i]) continue;
    const uint32_t cf = store->handles_[i]->GetID();
    if (cf >= store->family_of_cf_.size()) store->family_of_cf_.resize(cf + 1, -1);
    store->family_of_cf_[cf] = static_cast<int>(i);
  }
  store->check_schema();
  return store;
}

Store::~Store() {
  writer_.reset();  // finishes the batch in flight
  if (db_) {
    for (auto* h : handles_)
      if (h) db_->DestroyColumnFamilyHandle(h);
    db_->Close();
  }
}

void Store::check_schema() {
  auto stored = get(Family::meta, kSchemaKey);
  if (!stored && read_only_)
    throw StoreError("store " + path_.string() + " has no schema version record");
  if (!stored) {
    // A new store: nothing to migrate.
    rocksdb::WriteBatch batch;
    batch.Put(family(Family::meta), kSchemaKey, encode_u32(kSchemaVersion));
    write(batch);
    schema_version_ = kSchemaVersion;
    return;
  }
  uint32_t version = 0;
  try {
    Decoder d(*stored);
    version = d.u32be();
  } catch (const CorruptRecord&) {
    throw StoreError("store " + path_.string() + ": the schema version record is damaged");
  }
  if (version > kSchemaVersion)
    throw StoreError("store " + path_.string() + " has schema version " + std::to_string(version) +
                     ", written by a newer idsync; this build reads up to version " +
                     std::to_string(kSchemaVersion) + ". Upgrade idsync or restore a backup.");
  if (version < kSchemaVersion && read_only_)
    throw StoreError("store " + path_.string() + " has schema version " + std::to_string(version) +
                     " and must be upgraded: run any import (or start idsyncd) once to migrate it");
  while (version < kSchemaVersion) {
    // Each migration and its version bump are one batch: a crash leaves either version.
    rocksdb::WriteBatch batch;
    migrate_from(*this, version, batch);
    ++version;
    batch.Put(family(Family::meta), kSchemaKey, encode_u32(version));
    write(batch);
  }
  schema_version_ = version;
}

void Store::write(rocksdb::WriteBatch& batch) {
  wait_for_writes();
  ++direct_writes_;
  rocksdb::WriteOptions options;
  check(db_->Write(options, &batch), "store " + path_.string() + ": write failed");
}

void Store::write_behind(rocksdb::WriteBatch&& batch) {
  wait_for_writes();
  if (!writer_) writer_ = std::make_unique<BatchWriter>(*db_);
  writer_->submit(std::move(batch), family_of_cf_, kFamilyCount);
}

void Store::wait_for_writes() const {
  if (!writer_ || !writer_->in_flight()) return;
  check(writer_->wait(), "store " + path_.string() + ": write failed");
}

namespace {
// Set on a thread while a Store::ReadAheadScope lives there.
thread_local bool t_reading_ahead = false;
}  // namespace

Store::ReadAheadScope::ReadAheadScope() : outer_(t_reading_ahead) { t_reading_ahead = true; }

Store::ReadAheadScope::~ReadAheadScope() { t_reading_ahead = outer_; }

uint64_t Store::batches_waited() const { return writer_ ? writer_->waited() : 0; }

std::optional<std::vector<const WrittenKeys*>> Store::written_after(uint64_t after) const {
  if (!writer_) return std::vector<const WrittenKeys*>();
  return writer_->written_after(after);
}

void Store::before_read(Family f, std::string_view key) const {
  if (!writer_ || t_reading_ahead) return;
  const WrittenKeys* pending = writer_->in_flight();
  if (pending && pending->touches(static_cast<size_t>(f), key)) wait_for_writes();
}

void Store::before_scan(Family f, std::string_view lower, std::string_view upper) const {
  if (!writer_ || t_reading_ahead) return;
  const WrittenKeys* pending = writer_->in_flight();
  if (pending && pending->touches_range(static_cast<size_t>(f), lower, upper)) wait_for_writes();
}

std::optional<std::string> Store::get(Family f, std::string_view key) const {
  if (!has_family(f)) return std::nullopt;
  before_read(f, key);
  std::string value;
  rocksdb::Status s =
      db_->Get(rocksdb::ReadOptions(), family(f), rocksdb::Slice(key.data(), key.size()), &value);
  if (s.IsNotFound()) return std::nullopt;
  check(s, "store " + path_.string() + ": read failed");
  return value;
}

std::vector<std::optional<std::string>> Store::multi_get(
    const std::vector<Family>& families, const std::vector<std::string>& keys) const {
  std::vector<std::optional<std::string>> out(keys.size());
  // RocksDB sorts a MultiGet's lookups by column family and key unless told they are sorted,
  // through a comparator it calls by pointer; in an export that sort was a third of the
  // MultiGet. Sorting here compares plain ids and bytes, and for callers that give each
  // family's keys in order (a batch's objects in scan order, MV objects by id) it is only the
  // check that they are.
  struct Lookup {
    uint32_t cf;
    Family family;
    std::string_view key;
    size_t index;  // into keys
  };
  std::vector<Lookup> asked;  // missing families are skipped
  asked.reserve(keys.size());
  for (size_t i = 0; i < keys.size(); ++i)
    if (auto* handle = family(families[i]))
      asked.push_back({handle->GetID(), families[i], keys[i], i});
  auto before = [](const Lookup& a, const Lookup& b) {
    return a.cf != b.cf ? a.cf < b.cf : a.key < b.key;  // bytewise, as the families' comparator
  };
  if (!std::is_sorted(asked.begin(), asked.end(), before))
    std::sort(asked.begin(), asked.end(), before);
  // The batch in flight: one merge of its keys with each family's run of these, instead of a
  // search per key (before_read).
  if (const WrittenKeys* pending = writer_ && !t_reading_ahead ? writer_->in_flight() : nullptr) {
    std::vector<std::string_view> run;
    for (size_t k = 0; k < asked.size();) {
      run.clear();
      size_t end = k;
      for (; end < asked.size() && asked[end].cf == asked[k].cf; ++end)
        run.push_back(asked[end].key);
      if (pending->touches_any(static_cast<size_t>(asked[k].family), run)) {
        wait_for_writes();
        break;
      }
      k = end;
    }
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  std::vector<rocksdb::Slice> slices;
  handles.reserve(asked.size());
  slices.reserve(asked.size());
  for (const Lookup& l : asked) {
    handles.push_back(family(l.family));
    slices.emplace_back(l.key.data(), l.key.size());
  }
  std::vector<rocksdb::PinnableSlice> values(slices.size());
  std::vector<rocksdb::Status> statuses(slices.size());
  db_->MultiGet(rocksdb::ReadOptions(), slices.size(), handles.data(), slices.data(), values.data(),
                statuses.data(), /*sorted_input=*/true);
  for (size_t k = 0; k < slices.size(); ++k) {
    if (statuses[k].IsNotFound()) continue;
    check(statuses[k], "store " + path_.string() + ": read failed");
    out[asked[k].index].emplace(values[k].data(), values[k].size());
  }
  return out;
}

std::unique_ptr<rocksdb::Iterator> Store::iterator(Family f, const rocksdb::ReadOptions& options,
                                                   bool lookup_prefix) const {
  if (!has_family(f)) return std::unique_ptr<rocksdb::Iterator>(rocksdb::NewEmptyIterator());
  const rocksdb::Slice* lower = options.iterate_lower_bound;
  const rocksdb::Slice* upper = options.iterate_upper_bound;
  before_scan(f, lower ? lower->ToStringView() : std::string_view(),
              upper ? upper->ToStringView() : std::string_view());
  rocksdb::ReadOptions read = options;
  // Families with a prefix extractor would otherwise let a seek skip files by the prefix of
  // the key it seeks to, and miss keys past that prefix.
  read.total_order_seek = !lookup_prefix;
  read.prefix_same_as_start = lookup_prefix;
  return std::unique_ptr<rocksdb::Iterator>(db_->NewIterator(read, family(f)));
}

std::unique_ptr<rocksdb::Iterator> Store::lookup_iterator(
    Family f, const std::vector<std::string_view>& prefixes) const {
  if (!has_family(f)) return std::unique_ptr<rocksdb::Iterator>(rocksdb::NewEmptyIterator());
  for (std::string_view prefix : prefixes) before_scan(f, prefix, prefix_upper_bound(prefix));
  rocksdb::ReadOptions read;
  read.prefix_same_as_start = true;
  return std::unique_ptr<rocksdb::Iterator>(db_->NewIterator(read, family(f)));
}

std::optional<uint32_t> Store::find_connector_id(std::string_view name) const {
  auto value = get_setting(std::string(kConnectorKeyPrefix) + std::string(name));
  if (!value) return std::nullopt;
  return Decoder(*value).u32be();
}

uint32_t Store::connector_id(std::string_view name) {
  if (auto id = find_connector_id(name)) return *id;
  const std::lock_guard lock(connector_ids_mutex_);
  if (auto id = find_connector_id(name)) return *id;  // another thread allocated it meanwhile
  uint32_t next = 1;
  if (auto stored = get_setting(kNextIdKey)) next = Decoder(*stored).u32be();
  rocksdb::WriteBatch batch;
  batch.Put(family(Family::meta), std::string(kConnectorKeyPrefix) + std::string(name),
            encode_u32(next));
  batch.Put(family(Family::meta), kNextIdKey, encode_u32(next + 1));
  check(db_->Write(rocksdb::WriteOptions(), &batch), "store " + path_.string() + ": write failed");
  return next;
}

std::optional<std::string> Store::get_setting(std::string_view key) const {
  std::string value;
  const rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), family(Family::meta),
                                     rocksdb::Slice(key.data(), key.size()), &value);
  if (s.IsNotFound()) return std::nullopt;
  check(s, "store " + path_.string() + ": read failed");
  return value;
}

void Store::put_setting(std::string_view key, const std::optional<std::string>& value) {
  rocksdb::WriteBatch batch;
  const rocksdb::Slice k(key.data(), key.size());
  if (value)
    batch.Put(family(Family::meta), k, *value);
  else
    batch.Delete(family(Family::meta), k);
  check(db_->Write(rocksdb::WriteOptions(), &batch), "store " + path_.string() + ": write failed");
}

void Store::checkpoint(const std::filesystem::path& dir) {
  wait_for_writes();
  rocksdb::Checkpoint* raw = nullptr;
  check(rocksdb::Checkpoint::Create(db_.get(), &raw), "store " + path_.string() + ": checkpoint");
  const std::unique_ptr<rocksdb::Checkpoint> cp(raw);
  check(cp->CreateCheckpoint(dir.string()),
        "store " + path_.string() + ": copy to " + dir.string());
}

void Store::compact(Family f, std::string_view prefix) {
  wait_for_writes();
  rocksdb::CompactRangeOptions options;
  // Tombstones that reached the last level by a trivial move (a file moved down, not
  // rewritten) stay there unless the last level's files are rewritten too.
  options.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForceOptimized;
  const std::string upper = prefix_upper_bound(prefix);
  const rocksdb::Slice begin(prefix.data(), prefix.size());
  const rocksdb::Slice end(upper);
  check(db_->CompactRange(options, family(f), prefix.empty() ? nullptr : &begin,
                          prefix.empty() || upper.empty() ? nullptr : &end),
        "store " + path_.string() + ": compaction");
}

bool Store::background_work_pending() const {
  uint64_t value = 0;
  for (const char* p : {"rocksdb.num-running-compactions", "rocksdb.num-running-flushes"})
    if (db_->GetIntProperty(p, &value) && value > 0) return true;
  for (rocksdb::ColumnFamilyHandle* h : handles_) {
    if (!h) continue;
    for (const char* p : {"rocksdb.compaction-pending", "rocksdb.mem-table-flush-pending"})
      if (db_->GetIntProperty(h, p, &value) && value > 0) return true;
  }
  return false;
}

}  // namespace idsync::store
