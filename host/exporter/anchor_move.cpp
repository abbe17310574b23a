#include "exporter/anchor_move.hpp"

#include <spdlog/spdlog.h>

#include "store/codec.hpp"
#include "store/connector_space.hpp"
#include "store/links.hpp"
#include "store/mv_object.hpp"

namespace idsync::exporter {

std::vector<bool> move_cs_anchors(store::Store& store, uint32_t connector_id,
                                  rocksdb::WriteBatch& batch,
                                  const std::vector<AnchorMove>& moves) {
  using store::Family;
  // Per move, in this order: the object under the assigned anchor (which stops the move), the
  // provisional object, its seen mark, its link and its export confirmation.
  constexpr size_t kReads = 5;
  std::vector<Family> families;
  std::vector<std::string> keys;
  families.reserve(moves.size() * kReads);
  keys.reserve(moves.size() * kReads);
  for (const AnchorMove& m : moves) {
    const std::string from = store::connector_key(connector_id, m.from);
    families.insert(families.end(), {Family::cs, Family::cs, Family::cs_seen, Family::link_cs,
                                     Family::export_confirm});
    keys.push_back(store::connector_key(connector_id, m.to));
    keys.push_back(from);
    keys.push_back(from);
    keys.push_back(store::Links::link_cs_key(connector_id, m.from));
    keys.push_back(from);
  }
  const std::vector<std::optional<std::string>> found = store.multi_get(families, keys);

  std::vector<bool> moved(moves.size(), false);
  bool warned = false;
  for (size_t i = 0; i < moves.size(); ++i) {
    const std::string_view from = moves[i].from, to = moves[i].to;
    const auto* v = &found[i * kReads];
    if (v[0]) {
      if (!warned)
        spdlog::warn(
            "export: an object already exists under the assigned anchor; the provisioned "
            "object keeps its provisional anchor until the next sync joins them");
      warned = true;
      continue;
    }
    const std::string from_key = store::connector_key(connector_id, from);
    const std::string to_key = store::connector_key(connector_id, to);
    if (const auto& record = v[1]) {
      // The anchor is the key, not part of the value, so the record moves as it is.
      batch.Delete(store.family(Family::cs), from_key);
      batch.Put(store.family(Family::cs), to_key, *record);
      const auto header = store::parse_cs_header(*record);
      if (!header.dn.empty())
        batch.Put(store.family(Family::cs_dn),
                  store::ConnectorSpace(store, connector_id).dn_key(header.dn),
                  rocksdb::Slice(to.data(), to.size()));
    }
    if (const auto& seen = v[2]) {
      batch.Delete(store.family(Family::cs_seen), from_key);
      batch.Put(store.family(Family::cs_seen), to_key, *seen);
    }
    if (const auto& link = v[3]) {
      // Written directly: Links::link would refuse, since the committed link_mv entry still
      // names the provisional anchor. The Put of link_mv replaces it in place.
      if (link->size() != 8) throw store::CorruptRecord("link record is damaged");
      const uint64_t mv = store::mv_id_of(*link);
      batch.Delete(store.family(Family::link_cs), store::Links::link_cs_key(connector_id, from));
      batch.Put(store.family(Family::link_cs), store::Links::link_cs_key(connector_id, to), *link);
      batch.Put(store.family(Family::link_mv), store::Links::link_mv_key(mv, connector_id),
                rocksdb::Slice(to.data(), to.size()));
    }
    if (const auto& confirm = v[4]) {
      batch.Delete(store.family(Family::export_confirm), from_key);
      batch.Put(store.family(Family::export_confirm), to_key, *confirm);
    }
    moved[i] = true;
  }
  return moved;
}

}  // namespace idsync::exporter
