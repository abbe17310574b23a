#include "sync/inbound_references.hpp"

#include <algorithm>

#include "store/connector_space.hpp"
#include "store/mv_object.hpp"

namespace idsync::sync {

std::optional<uint64_t> InboundReferences::resolve_one(uint32_t connector_id,
                                                       std::string_view value) {
  // A DN first (the usual case, and what directories send); a DN-less connector's references
  // are anchors.
  const store::ConnectorSpace cs(store_, connector_id);
  if (auto anchor = cs.anchor_by_dn(value))
    if (auto id = overlay_.mv_of(connector_id, *anchor)) return id;
  return overlay_.mv_of(connector_id, value);
}

void InboundReferences::resolve(Contributions& contributions, uint32_t connector_id,
                                rocksdb::WriteBatch* batch, std::string_view holder) {
  for (auto& [key, c] : contributions) {
    if (c.kind != Contribution::Kind::values || c.type != IDSYNC_VALUE_REFERENCE) continue;
    std::vector<uint64_t> ids;
    for (const std::string& value : c.values) {
      if (auto id = resolve_one(connector_id, value))
        ids.push_back(*id);
      else if (batch)
        waits_.wait(*batch, store::ReferenceWaits::inbound_target(connector_id, value), holder);
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    c.values.clear();
    for (uint64_t id : ids) c.values.push_back(store::mv_key(id));
    if (c.values.empty()) c.kind = Contribution::Kind::null;
  }
}

std::vector<std::string> InboundReferences::linked(rocksdb::WriteBatch& batch,
                                                   uint32_t connector_id,
                                                   const store::CsObject& object) {
  std::vector<std::string> holders =
      waits_.take(batch, store::ReferenceWaits::inbound_target(connector_id, object.anchor));
  if (!object.dn.empty())
    for (std::string& h :
         waits_.take(batch, store::ReferenceWaits::inbound_target(connector_id, object.dn)))
      if (std::find(holders.begin(), holders.end(), h) == holders.end())
        holders.push_back(std::move(h));
  return holders;
}

}  // namespace idsync::sync
