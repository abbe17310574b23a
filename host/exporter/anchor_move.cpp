#include "exporter/anchor_move.hpp"

#include <spdlog/spdlog.h>

#include <array>
#include <optional>

#include "store/codec.hpp"
#include "store/connector_space.hpp"
#include "store/dirty_attributes.hpp"
#include "store/links.hpp"
#include "store/mv_object.hpp"
#include "store/provisional_anchor.hpp"
#include "store/reference_waits.hpp"

namespace idsync::exporter {

std::vector<bool> move_cs_anchors(store::Store& store, uint32_t connector_id,
                                  rocksdb::WriteBatch& batch,
                                  const std::vector<AnchorMove>& moves) {
  using store::Family;
  // Per move, in this order: the object under the assigned anchor (which stops the move), the
  // provisional object, its seen mark, its link and its export confirmation. A provisional
  // anchor never came from an import, so it has no seen mark to read.
  constexpr size_t kReads = 5;
  std::vector<Family> families;
  std::vector<std::string> keys;
  families.reserve(moves.size() * kReads);
  keys.reserve(moves.size() * kReads);
  // Read k of move i is found[*at[i][k]]; no index: not asked.
  std::vector<std::array<std::optional<size_t>, kReads>> at(moves.size());
  auto ask = [&](size_t move, size_t k, Family f, std::string key) {
    at[move][k] = keys.size();
    families.push_back(f);
    keys.push_back(std::move(key));
  };
  for (size_t i = 0; i < moves.size(); ++i) {
    const AnchorMove& m = moves[i];
    const std::string from = store::connector_key(connector_id, m.from);
    ask(i, 0, Family::cs, store::connector_key(connector_id, m.to));
    ask(i, 1, Family::cs, from);
    if (!store::is_provisional_anchor(m.from)) ask(i, 2, Family::cs_seen, from);
    ask(i, 3, Family::link_cs, store::Links::link_cs_key(connector_id, m.from));
    ask(i, 4, Family::export_confirm, from);
  }
  const std::vector<std::optional<std::string>> found = store.multi_get(families, keys);
  const std::optional<std::string> none;
  auto read = [&](size_t move, size_t k) -> const std::optional<std::string>& {
    return at[move][k] ? found[*at[move][k]] : none;
  };

  std::vector<bool> moved(moves.size(), false);
  store::ReferenceWaits waits(store);
  bool warned = false;
  for (size_t i = 0; i < moves.size(); ++i) {
    const std::string_view from = moves[i].from, to = moves[i].to;
    if (read(i, 0)) {
      if (!warned)
        spdlog::warn(
            "export: an object already exists under the assigned anchor; the provisioned "
            "object keeps its provisional anchor until the next sync joins them");
      warned = true;
      continue;
    }
    const std::string from_key = store::connector_key(connector_id, from);
    const std::string to_key = store::connector_key(connector_id, to);
    if (const auto& record = read(i, 1)) {
      // The anchor is the key, not part of the value, so the record moves as it is, but for
      // the mark of a placeholder: the system has the object now.
      const auto header = store::parse_cs_header(*record);
      batch.Delete(store.family(Family::cs), from_key);
      batch.Put(store.family(Family::cs), to_key,
                header.awaiting_add ? store::confirmed_placeholder(*record) : *record);
      if (!header.dn.empty())
        batch.Put(store.family(Family::cs_dn),
                  store::ConnectorSpace(store, connector_id).dn_key(header.dn),
                  rocksdb::Slice(to.data(), to.size()));
    }
    if (const auto& seen = read(i, 2)) {
      batch.Delete(store.family(Family::cs_seen), from_key);
      batch.Put(store.family(Family::cs_seen), to_key, *seen);
    }
    if (const auto& link = read(i, 3)) {
      // Written directly: Links::link would refuse, since the committed link_mv entry still
      // names the provisional anchor. The Put of link_mv replaces it in place.
      if (link->size() != 8) throw store::CorruptRecord("link record is damaged");
      const uint64_t mv = store::mv_id_of(*link);
      batch.Delete(store.family(Family::link_cs), store::Links::link_cs_key(connector_id, from));
      batch.Put(store.family(Family::link_cs), store::Links::link_cs_key(connector_id, to), *link);
      batch.Put(store.family(Family::link_mv), store::Links::link_mv_key(mv, connector_id),
                rocksdb::Slice(to.data(), to.size()));
      // An object without a DN is referred to by its anchor, which it has only now: the
      // references to it (members of a group provisioned with it) waited for this. Their
      // holders are marked, so the next outbound sync sends them.
      for (const std::string& holder :
           waits.take(batch, store::ReferenceWaits::outbound_target(connector_id, mv)))
        store::DirtyAttributes(store).mark(batch, store::mv_id_of(holder), {}, true);
    }
    if (const auto& confirm = read(i, 4)) {
      batch.Delete(store.family(Family::export_confirm), from_key);
      batch.Put(store.family(Family::export_confirm), to_key, *confirm);
    }
    moved[i] = true;
  }
  return moved;
}

void confirm_placeholders(store::Store& store, uint32_t connector_id, rocksdb::WriteBatch& batch,
                          const std::vector<std::string>& anchors) {
  if (anchors.empty()) return;
  std::vector<store::Family> families(anchors.size(), store::Family::cs);
  std::vector<std::string> keys;
  keys.reserve(anchors.size());
  for (const std::string& anchor : anchors)
    keys.push_back(store::connector_key(connector_id, anchor));
  const std::vector<std::optional<std::string>> found = store.multi_get(families, keys);
  for (size_t i = 0; i < keys.size(); ++i)
    if (found[i] && store::parse_cs_header(*found[i]).awaiting_add)
      batch.Put(store.family(store::Family::cs), keys[i], store::confirmed_placeholder(*found[i]));
}

}  // namespace idsync::exporter
