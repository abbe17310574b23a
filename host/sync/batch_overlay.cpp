#include "sync/batch_overlay.hpp"

#include <algorithm>

#include "store/cs_object.hpp"
#include "store/reference_index.hpp"

namespace idsync::sync {

using store::Family;

namespace {

std::string overlay_key(std::string_view type, std::string_view attribute, std::string_view value) {
  std::string key = store::lowercase(type);
  key += '\0';
  key += store::lowercase(attribute);
  key += '\0';
  key += store::lowercase(value);
  return key;
}

bool has_value(const store::MvObject& o, std::string_view attribute, std::string_view value,
               bool case_sensitive) {
  const store::MvAttribute* a = o.find(attribute);
  if (!a) return false;
  return std::any_of(a->values.begin(), a->values.end(), [&](const std::string& v) {
    return case_sensitive ? v == value : store::iequals(v, value);
  });
}

}  // namespace

BatchOverlay::BatchOverlay(store::Store& store, const std::vector<std::string>& join_attributes)
    : store_(store), join_attributes_(join_attributes), links_(store), join_(store) {}

void BatchOverlay::adopt(uint32_t connector_id, BatchReads& reads) {
  prefetched_connector_ = connector_id;
  prefetched_links_ = std::move(reads.links);
  for (auto& [id, object] : reads.mvs) {
    if (mvs_.count(id) || missing_.count(id)) continue;
    if (!object) {
      missing_.emplace(id, true);
      continue;
    }
    Entry e;
    e.committed = std::move(object);
    mvs_.emplace(id, std::move(e));
  }
  for (auto& [id, links] : reads.mv_links) committed_links_.emplace(id, std::move(links));
  for (auto& [prefix, ids] : reads.joins) prefetched_joins_.emplace(prefix, std::move(ids));
}

void BatchOverlay::prefetch_committed_links(std::vector<uint64_t> ids) {
  std::erase_if(ids, [&](uint64_t id) {
    if (committed_links_.count(id) || missing_.count(id)) return true;
    const auto entry = mvs_.find(id);
    return entry != mvs_.end() && entry->second.created;
  });
  if (ids.empty()) return;
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  auto links = links_.links_of_many(ids);
  for (size_t i = 0; i < ids.size(); ++i) committed_links_.emplace(ids[i], std::move(links[i]));
}

BatchOverlay::Entry* BatchOverlay::load(uint64_t id) {
  if (auto it = mvs_.find(id); it != mvs_.end()) return &it->second;
  if (missing_.count(id)) return nullptr;
  auto stored = store::MetaverseStore(store_).get(id);
  if (!stored) {
    missing_.emplace(id, true);
    return nullptr;
  }
  Entry e;
  e.committed = std::move(stored);
  return &mvs_.emplace(id, std::move(e)).first->second;
}

const store::MvObject* BatchOverlay::mv(uint64_t id) {
  Entry* e = load(id);
  return e ? &e->current() : nullptr;
}

void BatchOverlay::put_new_mv(store::MvObject object, const std::vector<std::string>& changed) {
  missing_.erase(object.id);
  Entry& e = mvs_.emplace(object.id, Entry{}).first->second;
  e.written = std::move(object);
  e.created = true;
  e.marks = store::DirtySet{true, changed};
  if (!e.written->deleted) index_values(*e.written);
}

void BatchOverlay::put_mv(store::MvObject object, const std::vector<std::string>& changed,
                          bool object_changed, std::vector<store::ValueChange> value_changes) {
  Entry* e = load(object.id);
  if (!e) {
    missing_.erase(object.id);
    e = &mvs_.emplace(object.id, Entry{}).first->second;
  }
  e->written = std::move(object);
  std::sort(value_changes.begin(), value_changes.end(),
            [](const store::ValueChange& a, const store::ValueChange& b) {
              return store::iless(a.name, b.name);
            });
  e->marks = store::merge_dirty_sets(
      e->marks, store::DirtySet{object_changed, changed, std::move(value_changes)});
  if (!e->written->deleted) index_values(*e->written);
}

void BatchOverlay::touch(uint64_t id) {
  Entry* e = load(id);
  if (e) e->marks.object = true;
}

void BatchOverlay::index_values(const store::MvObject& object) {
  for (const std::string& name : join_attributes_)
    if (const store::MvAttribute* a = object.find(name))
      for (const std::string& v : a->values) {
        auto& ids = added_values_[overlay_key(object.object_type, name, v)];
        if (std::find(ids.begin(), ids.end(), object.id) == ids.end()) ids.push_back(object.id);
      }
}

std::optional<uint64_t> BatchOverlay::mv_of(uint32_t connector_id, std::string_view anchor) const {
  if (!cs_links_.empty())
    if (auto it = cs_links_.find({connector_id, std::string(anchor)}); it != cs_links_.end())
      return it->second;
  if (connector_id == prefetched_connector_)
    if (auto it = prefetched_links_.find(anchor); it != prefetched_links_.end()) return it->second;
  return links_.mv_of(connector_id, anchor);
}

const std::vector<store::Link>& BatchOverlay::committed_links(uint64_t mv_id) const {
  if (auto it = committed_links_.find(mv_id); it != committed_links_.end()) return it->second;
  const auto entry = mvs_.find(mv_id);
  const bool created = entry != mvs_.end() && entry->second.created;
  return committed_links_
      .emplace(mv_id, created ? std::vector<store::Link>() : links_.links_of(mv_id))
      .first->second;
}

std::optional<std::string> BatchOverlay::anchor_of(uint64_t mv_id, uint32_t connector_id) const {
  if (auto it = mv_links_.find({mv_id, connector_id}); it != mv_links_.end()) return it->second;
  for (const store::Link& l : committed_links(mv_id))
    if (l.connector_id == connector_id) return l.anchor;
  return std::nullopt;
}

std::vector<store::Link> BatchOverlay::links_of(uint64_t mv_id) const {
  std::vector<store::Link> out = committed_links(mv_id);
  for (auto it = mv_links_.lower_bound({mv_id, 0});
       it != mv_links_.end() && it->first.first == mv_id; ++it) {
    const uint32_t connector = it->first.second;
    std::erase_if(out, [&](const store::Link& l) { return l.connector_id == connector; });
    if (it->second) out.push_back({connector, *it->second});
  }
  std::sort(out.begin(), out.end(), [](const store::Link& a, const store::Link& b) {
    return a.connector_id < b.connector_id;
  });
  return out;
}

void BatchOverlay::link(uint32_t connector_id, std::string_view anchor, uint64_t mv_id) {
  cs_links_[{connector_id, std::string(anchor)}] = mv_id;
  mv_links_[{mv_id, connector_id}] = std::string(anchor);
}

void BatchOverlay::unlink(uint32_t connector_id, std::string_view anchor) {
  auto old = mv_of(connector_id, anchor);
  if (!old) return;
  cs_links_[{connector_id, std::string(anchor)}] = std::nullopt;
  mv_links_[{*old, connector_id}] = std::nullopt;
}

std::vector<uint64_t> BatchOverlay::find(std::string_view mv_type, std::string_view attribute,
                                         std::string_view value, bool case_sensitive) {
  // Case-insensitive from the index; the exact check below works from the overlay's state, so
  // values changed earlier in this batch count as they are now.
  std::vector<uint64_t> candidates;
  const std::string prefix = store::JoinIndex::value_prefix(mv_type, attribute, value);
  if (auto it = prefetched_joins_.find(prefix); it != prefetched_joins_.end())
    candidates = it->second;
  else
    candidates = join_.find(mv_type, attribute, value, false);
  if (auto it = added_values_.find(overlay_key(mv_type, attribute, value));
      it != added_values_.end())
    candidates.insert(candidates.end(), it->second.begin(), it->second.end());
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  std::vector<uint64_t> out;
  for (uint64_t id : candidates) {
    const store::MvObject* o = mv(id);
    if (o && !o->deleted && store::iequals(o->object_type, mv_type) &&
        has_value(*o, attribute, value, case_sensitive))
      out.push_back(id);
  }
  return out;
}

void BatchOverlay::take_marks(
    const std::function<bool(const store::MvObject&, const store::DirtySet&,
                             const std::vector<store::Link>&)>& evaluate,
    const std::function<void(const std::vector<Marked>&)>& prepare) {
  std::vector<uint64_t> ids;
  for (const auto& [id, e] : mvs_)
    if (e.marks.object || !e.marks.names.empty()) ids.push_back(id);
  std::sort(ids.begin(), ids.end());
  prefetch_committed_links(ids);
  // Evaluations write into the caller's batch, never into the overlay: the links stay as
  // listed here.
  std::vector<std::vector<store::Link>> links;
  links.reserve(ids.size());
  for (uint64_t id : ids) links.push_back(links_of(id));
  if (prepare) {
    std::vector<Marked> marked;
    marked.reserve(ids.size());
    for (size_t i = 0; i < ids.size(); ++i)
      marked.push_back({&mvs_.at(ids[i]).current(), &links[i]});
    prepare(marked);
  }
  for (size_t i = 0; i < ids.size(); ++i) {
    Entry& e = mvs_.at(ids[i]);
    e.marks_taken = evaluate(e.current(), e.marks, links[i]);
  }
}

void BatchOverlay::flush(rocksdb::WriteBatch& batch) {
  const store::MetaverseStore metaverse(store_);
  const store::DirtyAttributes dirty(store_);
  const store::ReferenceIndex references(store_);
  std::string scratch;
  for (auto& [id, e] : mvs_) {
    const bool marked = !e.marks_taken && (e.marks.object || !e.marks.names.empty());
    if (!e.written) {
      if (marked) dirty.mark_set(batch, id, e.marks);
      continue;
    }
    const bool was_live = e.committed && !e.committed->deleted;
    const store::MvObject& current = *e.written;
    const bool is_live = !current.deleted;
    if (was_live && is_live)
      join_.update_object(batch, *e.committed, current, join_attributes_);
    else if (was_live)
      join_.remove_object(batch, *e.committed, join_attributes_);
    else if (is_live)
      join_.add_object(batch, current, join_attributes_);
    if (!e.committed || !(*e.committed == current)) {
      metaverse.put(batch, current, scratch);
      references.update(batch, e.committed ? &*e.committed : nullptr, &current);
    }
    if (marked) dirty.mark_set(batch, id, e.marks);
  }
  for (const auto& [key, mv_id] : cs_links_) {
    const std::string k = store::Links::link_cs_key(key.first, key.second);
    if (mv_id)
      batch.Put(store_.family(Family::link_cs), k, store::mv_key(*mv_id));
    else
      batch.Delete(store_.family(Family::link_cs), k);
  }
  for (const auto& [key, anchor] : mv_links_) {
    const std::string k = store::Links::link_mv_key(key.first, key.second);
    if (anchor)
      batch.Put(store_.family(Family::link_mv), k, *anchor);
    else
      batch.Delete(store_.family(Family::link_mv), k);
  }
  // The batch's MV objects and links go whole to whoever frees them (take_spent), each map
  // sized as it was, so that the next batch's does not grow from nothing.
  struct Spent {
    std::unordered_map<uint64_t, Entry> mvs;
    std::unordered_map<uint64_t, std::vector<store::Link>> links;
  };
  auto spent = std::make_shared<Spent>();
  const size_t mv_count = mvs_.size(), link_count = committed_links_.size();
  spent->mvs.swap(mvs_);
  spent->links.swap(committed_links_);
  spent_ = std::move(spent);
  mvs_.reserve(mv_count);
  committed_links_.reserve(link_count);
  missing_.clear();
  cs_links_.clear();
  mv_links_.clear();
  added_values_.clear();
  prefetched_joins_.clear();
  prefetched_links_.clear();
}

}  // namespace idsync::sync
