#include "store/links.hpp"

#include "store/codec.hpp"
#include "store/mv_object.hpp"
#include "store/prefix_scan.hpp"

namespace idsync::store {

std::string Links::link_cs_key(uint32_t connector_id, std::string_view anchor) {
  return connector_key(connector_id, anchor);
}

std::string Links::link_mv_key(uint64_t mv_id, uint32_t connector_id) {
  std::string key;
  key.reserve(12);
  Encoder e(key);
  e.u64be(mv_id);
  e.u32be(connector_id);
  return key;
}

std::optional<uint64_t> Links::mv_of(uint32_t connector_id, std::string_view anchor) const {
  auto value = store_.get(Family::link_cs, link_cs_key(connector_id, anchor));
  if (!value) return std::nullopt;
  if (value->size() != 8) throw CorruptRecord("link record is damaged");
  return mv_id_of(*value);
}

std::vector<std::optional<uint64_t>> Links::mv_of_many(
    uint32_t connector_id, const std::vector<std::string_view>& anchors) const {
  std::vector<Family> families(anchors.size(), Family::link_cs);
  std::vector<std::string> keys;
  keys.reserve(anchors.size());
  for (std::string_view a : anchors) keys.push_back(link_cs_key(connector_id, a));
  const auto values = store_.multi_get(families, keys);
  std::vector<std::optional<uint64_t>> out(anchors.size());
  for (size_t i = 0; i < anchors.size(); ++i) {
    if (!values[i]) continue;
    if (values[i]->size() != 8) throw CorruptRecord("link record is damaged");
    out[i] = mv_id_of(*values[i]);
  }
  return out;
}

std::optional<std::string> Links::anchor_of(uint64_t mv_id, uint32_t connector_id) const {
  return store_.get(Family::link_mv, link_mv_key(mv_id, connector_id));
}

namespace {

Link decode_link(std::string_view suffix, std::string_view anchor) {
  if (suffix.size() != 4) throw CorruptRecord("link key is damaged");
  return {Decoder(suffix).u32be(), std::string(anchor)};
}

}  // namespace

std::vector<Link> Links::links_of(uint64_t mv_id) const {
  std::vector<Link> links;
  scan_lookup_prefix(store_, Family::link_mv, mv_key(mv_id),
                     [&](std::string_view suffix, std::string_view anchor) {
                       links.push_back(decode_link(suffix, anchor));
                       return true;
                     });
  return links;
}

std::vector<std::vector<Link>> Links::links_of_many(const std::vector<uint64_t>& ids) const {
  std::vector<std::string> keys;
  keys.reserve(ids.size());
  for (uint64_t id : ids) keys.push_back(mv_key(id));
  const std::vector<std::string_view> prefixes(keys.begin(), keys.end());
  std::vector<std::vector<Link>> links(ids.size());
  scan_lookup_prefixes(store_, Family::link_mv, prefixes,
                       [&](size_t i, std::string_view suffix, std::string_view anchor) {
                         links[i].push_back(decode_link(suffix, anchor));
                         return true;
                       });
  return links;
}

void Links::link(rocksdb::WriteBatch& batch, uint32_t connector_id, std::string_view anchor,
                 uint64_t mv_id) const {
  if (auto other = anchor_of(mv_id, connector_id); other && *other != anchor)
    throw StoreError("MV object " + std::to_string(mv_id) +
                     " is already linked to another object of connector " +
                     std::to_string(connector_id));
  if (auto old = mv_of(connector_id, anchor)) {
    if (*old == mv_id) return;
    batch.Delete(store_.family(Family::link_mv), link_mv_key(*old, connector_id));
  }
  link_unlinked(batch, connector_id, anchor, mv_id);
}

void Links::link_unlinked(rocksdb::WriteBatch& batch, uint32_t connector_id,
                          std::string_view anchor, uint64_t mv_id) const {
  batch.Put(store_.family(Family::link_cs), link_cs_key(connector_id, anchor), mv_key(mv_id));
  batch.Put(store_.family(Family::link_mv), link_mv_key(mv_id, connector_id),
            rocksdb::Slice(anchor.data(), anchor.size()));
}

std::optional<uint64_t> Links::unlink(rocksdb::WriteBatch& batch, uint32_t connector_id,
                                      std::string_view anchor) const {
  auto old = mv_of(connector_id, anchor);
  if (!old) return std::nullopt;
  batch.Delete(store_.family(Family::link_cs), link_cs_key(connector_id, anchor));
  batch.Delete(store_.family(Family::link_mv), link_mv_key(*old, connector_id));
  return old;
}

}  // namespace idsync::store
