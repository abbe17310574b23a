#include "exporter/anchor_move.hpp"

#include <spdlog/spdlog.h>

#include "store/codec.hpp"
#include "store/connector_space.hpp"
#include "store/links.hpp"

namespace idsync::exporter {

bool move_cs_anchor(store::Store& store, uint32_t connector_id, rocksdb::WriteBatch& batch,
                    std::string_view from, std::string_view to) {
  using store::Family;
  const store::ConnectorSpace cs(store, connector_id);
  if (store.get(Family::cs, cs.object_key(to))) {
    spdlog::warn(
        "export: an object already exists under the assigned anchor; the provisioned "
        "object keeps its provisional anchor until the next sync joins them");
    return false;
  }
  if (auto value = store.get(Family::cs, cs.object_key(from))) {
    // The anchor is the key, not part of the value, so the record moves as it is.
    batch.Delete(store.family(Family::cs), cs.object_key(from));
    batch.Put(store.family(Family::cs), cs.object_key(to), *value);
    const auto header = store::parse_cs_header(*value);
    if (!header.dn.empty())
      batch.Put(store.family(Family::cs_dn), cs.dn_key(header.dn),
                rocksdb::Slice(to.data(), to.size()));
  }
  const std::string seen_from = store::connector_key(connector_id, from);
  if (auto seen = store.get(Family::cs_seen, seen_from)) {
    batch.Delete(store.family(Family::cs_seen), seen_from);
    batch.Put(store.family(Family::cs_seen), store::connector_key(connector_id, to), *seen);
  }
  const store::Links links(store);
  if (auto mv = links.mv_of(connector_id, from)) {
    // Written directly: Links::link would refuse, since the committed link_mv entry still names
    // the provisional anchor. The Put of link_mv replaces it in place.
    batch.Delete(store.family(Family::link_cs), store::Links::link_cs_key(connector_id, from));
    std::string mv_value;
    store::Encoder(mv_value).u64be(*mv);
    batch.Put(store.family(Family::link_cs), store::Links::link_cs_key(connector_id, to), mv_value);
    batch.Put(store.family(Family::link_mv), store::Links::link_mv_key(*mv, connector_id),
              rocksdb::Slice(to.data(), to.size()));
  }
  const std::string confirm_from = store::connector_key(connector_id, from);
  if (auto confirm = store.get(Family::export_confirm, confirm_from)) {
    batch.Delete(store.family(Family::export_confirm), confirm_from);
    batch.Put(store.family(Family::export_confirm), store::connector_key(connector_id, to),
              *confirm);
  }
  return true;
}

}  // namespace idsync::exporter
