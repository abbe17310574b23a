#include "sync/batch_reads.hpp"

#include <algorithm>

#include "store/codec.hpp"
#include "store/connector_space.hpp"
#include "store/join_index.hpp"
#include "store/metaverse.hpp"
#include "store/prefix_scan.hpp"
#include "store/sync_queue.hpp"

namespace idsync::sync {

using store::Family;

namespace {

void sort_unique(std::vector<uint64_t>& ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
}

// The batch's anchors and objects: a Full Sync scans the connector space, a Delta Sync the
// queue, then reads the queued objects' records.
void read_objects(const BatchReadPlan& plan, BatchReads& reads) {
  const std::string prefix = store::connector_prefix(plan.connector_id);
  if (plan.kind == SyncKind::full) {
    auto visit = [&](std::string_view anchor, std::string_view value) {
      reads.anchors.emplace_back(anchor);
      store::decode_cs_object(anchor, value, reads.objects.emplace_back().emplace());
      return reads.anchors.size() < plan.batch_size;
    };
    if (reads.after)
      store::scan_prefix_after(*plan.store, Family::cs, prefix, *reads.after, visit);
    else
      store::scan_prefix(*plan.store, Family::cs, prefix, visit);
  } else {
    const store::SyncQueue queue(*plan.store, plan.connector_id);
    auto visit = [&](std::string_view anchor) {
      reads.anchors.emplace_back(anchor);
      return reads.anchors.size() < plan.batch_size;
    };
    if (reads.after)
      queue.for_each_after(*reads.after, visit);
    else
      queue.for_each(visit);
    reads.objects = store::ConnectorSpace(*plan.store, plan.connector_id).get_many(reads.anchors);
  }
  reads.last = reads.anchors.size() < plan.batch_size;
}

// Full Sync: which of the batch's anchors are queued. One seek: the queue is in anchor order, as
// the batch is.
void read_queued(const BatchReadPlan& plan, BatchReads& reads) {
  if (plan.kind != SyncKind::full || reads.anchors.empty()) return;
  const std::string& last_anchor = reads.anchors.back();
  auto collect = [&](std::string_view anchor) {
    if (anchor > last_anchor) return false;
    reads.queued.emplace(anchor);
    return true;
  };
  const store::SyncQueue queue(*plan.store, plan.connector_id);
  if (reads.after)
    queue.for_each_after(*reads.after, collect);
  else
    queue.for_each(collect);
}

// The MV objects of `ids` not read yet, with one MultiGet.
void read_mvs(const BatchReadPlan& plan, std::vector<uint64_t> ids, BatchReads& reads) {
  std::erase_if(ids, [&](uint64_t id) { return reads.mvs.count(id) > 0; });
  if (ids.empty()) return;
  sort_unique(ids);
  auto found = store::MetaverseStore(*plan.store).get_many(ids);
  for (size_t i = 0; i < ids.size(); ++i) reads.mvs.emplace(ids[i], std::move(found[i]));
}

// The join index entries the join rules of the unlinked objects look up (whatever their scope:
// an object out of scope of a rule costs a lookup it did not need, fewer than one alone), the
// candidates they name, with their links and linked target records.
void read_joins(const BatchReadPlan& plan, const std::vector<size_t>& unlinked, BatchReads& reads) {
  std::vector<std::string> prefixes;
  for (size_t i : unlinked) {
    const store::CsObject& o = *reads.objects[i];
    for (const CompiledRule* r : plan.catalog->inbound(plan.connector, o.object_type))
      for (const sync_rules::JoinGroup& group : r->rule->join)
        for (const sync_rules::JoinCondition& c : group.conditions)
          if (const store::Attribute* a = o.find(c.cs_attribute))
            for (const std::string& v : a->values)
              prefixes.push_back(
                  store::JoinIndex::value_prefix(r->rule->mv_object_type, c.mv_attribute, v));
  }
  if (prefixes.empty()) return;
  std::sort(prefixes.begin(), prefixes.end());
  prefixes.erase(std::unique(prefixes.begin(), prefixes.end()), prefixes.end());
  auto found = store::JoinIndex(*plan.store)
                   .find_many(std::vector<std::string_view>(prefixes.begin(), prefixes.end()));
  std::vector<uint64_t> candidates;
  for (size_t i = 0; i < prefixes.size(); ++i) {
    candidates.insert(candidates.end(), found[i].begin(), found[i].end());
    reads.joins.emplace(std::move(prefixes[i]), std::move(found[i]));
  }
  if (candidates.empty()) return;
  read_mvs(plan, candidates, reads);
  // A join asks whether the candidate has an object of the connector already, and outbound
  // flow needs every link of it.
  sort_unique(candidates);
  std::erase_if(candidates, [&](uint64_t id) { return !reads.mvs.at(id); });
  auto links = store::Links(*plan.store).links_of_many(candidates);
  for (size_t i = 0; i < candidates.size(); ++i)
    reads.mv_links.emplace(candidates[i], std::move(links[i]));
  if (!plan.target_keys) return;
  std::vector<std::string> keys;
  for (uint64_t id : candidates) plan.target_keys(*reads.mvs.at(id), reads.mv_links.at(id), keys);
  read_target_records(*plan.store, std::move(keys), reads.targets);
}

}  // namespace

void read_target_records(const store::Store& store, std::vector<std::string> keys,
                         common::StringMap<TargetRecords>& out) {
  if (keys.empty()) return;
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  constexpr Family kRead[] = {Family::cs, Family::pending_export, Family::export_confirm};
  std::vector<Family> families;
  std::vector<std::string> asked;
  families.reserve(keys.size() * std::size(kRead));
  asked.reserve(keys.size() * std::size(kRead));
  // By family, then in key order: Store::multi_get need not sort them.
  for (Family f : kRead)
    for (const std::string& key : keys) {
      families.push_back(f);
      asked.push_back(key);
    }
  auto records = store.multi_get(families, asked);
  out.reserve(out.size() + keys.size());
  const size_t n = keys.size();
  for (size_t i = 0; i < n; ++i)
    out.emplace(std::move(keys[i]), TargetRecords{std::move(records[i]), std::move(records[n + i]),
                                                  std::move(records[2 * n + i])});
}

BatchReads read_batch(const BatchReadPlan& plan, const std::optional<std::string>& after) {
  BatchReads reads;
  reads.after = after;
  read_objects(plan, reads);
  read_queued(plan, reads);

  // What the objects sync does not pass by need: links, disconnector marks, linked MV objects.
  std::vector<size_t> asked;
  for (size_t i = 0; i < reads.anchors.size(); ++i)
    if (!plan.passes_by(reads.anchors[i], reads.objects[i] ? &*reads.objects[i] : nullptr))
      asked.push_back(i);
  if (asked.empty()) return reads;
  std::vector<std::string_view> anchors;
  anchors.reserve(asked.size());
  for (size_t i : asked) anchors.emplace_back(reads.anchors[i]);
  const auto linked = store::Links(*plan.store).mv_of_many(plan.connector_id, anchors);
  std::vector<Family> families(anchors.size(), Family::cs_disconnector);
  std::vector<std::string> keys;
  keys.reserve(anchors.size());
  for (std::string_view a : anchors) keys.push_back(store::connector_key(plan.connector_id, a));
  const auto disconnectors = plan.store->multi_get(families, keys);
  std::vector<uint64_t> ids;
  std::vector<size_t> unlinked;
  for (size_t k = 0; k < asked.size(); ++k) {
    const size_t i = asked[k];
    reads.links.emplace(reads.anchors[i], linked[k]);
    reads.disconnectors.emplace(reads.anchors[i], disconnectors[k].has_value());
    if (linked[k])
      ids.push_back(*linked[k]);
    else if (reads.objects[i] && reads.objects[i]->pending != store::PendingChange::remove)
      unlinked.push_back(i);
  }
  read_mvs(plan, std::move(ids), reads);
  read_joins(plan, unlinked, reads);
  return reads;
}

namespace {

// Whether `written` writes a key of family `f` between `lower` and `upper` (each bound inclusive
// or not; an empty `upper` is no bound). One pass over the batch's keys as they came: sorting
// them cost more than the pass, on the thread the step computes on.
bool writes_between(const store::WrittenKeys& written, Family f, std::string_view lower,
                    bool lower_inclusive, std::string_view upper, bool upper_inclusive) {
  const size_t family = static_cast<size_t>(f);
  if (written.whole(family)) return true;
  for (std::string_view key : written.listed(family)) {
    const bool above = lower_inclusive ? key >= lower : key > lower;
    const bool below = upper.empty() || (upper_inclusive ? key <= upper : key < upper);
    if (above && below) return true;
  }
  return false;
}

// Calls `drop(suffix)` for each key of family `f` the batch writes under `prefix`; returns false
// when it may write any key of the family (whole).
template <typename Drop>
bool for_written(const store::WrittenKeys& written, Family f, std::string_view prefix, Drop drop) {
  const size_t family = static_cast<size_t>(f);
  if (written.whole(family)) return false;
  for (std::string_view key : written.listed(family))
    if (key.starts_with(prefix)) drop(key.substr(prefix.size()));
  return true;
}

}  // namespace

bool drop_written(BatchReads& reads, const store::WrittenKeys& written, uint32_t connector_id) {
  // The batch's own range of the connector space and of the queue: from after the anchor it
  // starts after (or the connector's first key) to its last anchor, or to the connector's end
  // when it is the last batch (an object added there would have joined it).
  const std::string prefix = store::connector_prefix(connector_id);
  const bool to_end = reads.last || reads.anchors.empty();
  const std::string lower = reads.after ? store::connector_key(connector_id, *reads.after) : prefix;
  const std::string upper = to_end ? store::prefix_upper_bound(prefix)
                                   : store::connector_key(connector_id, reads.anchors.back());
  for (Family f : {Family::cs, Family::sync_queue})
    if (writes_between(written, f, lower, !reads.after, upper, !to_end)) return false;

  auto erase_anchor = [&](auto& map) {
    return [&map](std::string_view anchor) { common::erase_key(map, anchor); };
  };
  if (!for_written(written, Family::link_cs, prefix, erase_anchor(reads.links)))
    reads.links.clear();
  if (!for_written(written, Family::cs_disconnector, prefix, erase_anchor(reads.disconnectors)))
    reads.disconnectors.clear();
  auto id_of = [](std::string_view key) { return store::mv_id_of(key.substr(0, 8)); };
  if (!for_written(written, Family::mv, {},
                   [&](std::string_view key) { reads.mvs.erase(store::mv_id_of(key)); }))
    reads.mvs.clear();
  if (!for_written(written, Family::link_mv, {},
                   [&](std::string_view key) { reads.mv_links.erase(id_of(key)); }))
    reads.mv_links.clear();
  // A join index key is the value prefix and the 8-byte MV id.
  if (!for_written(written, Family::mv_join, {}, [&](std::string_view key) {
        if (key.size() > 8) common::erase_key(reads.joins, key.substr(0, key.size() - 8));
      }))
    reads.joins.clear();
  for (Family f : {Family::cs, Family::pending_export, Family::export_confirm})
    if (!for_written(written, f, {},
                     [&](std::string_view key) { common::erase_key(reads.targets, key); }))
      reads.targets.clear();
  return true;
}

}  // namespace idsync::sync
