#include "sync/outbound_references.hpp"

#include <algorithm>
#include <string_view>
#include <unordered_set>

#include "exporter/provisional_anchor.hpp"
#include "store/connector_space.hpp"
#include "store/links.hpp"
#include "store/mv_object.hpp"

namespace idsync::sync {

std::optional<std::string> OutboundReferences::name_in(uint32_t connector_id,
                                                       uint64_t mv_id) const {
  if (auto it = provisioned_.find({connector_id, mv_id}); it != provisioned_.end()) {
    if (it->second.empty()) return std::nullopt;  // DN-less: no name before the export
    return it->second;
  }
  const std::optional<std::string> anchor = store::Links(store_).anchor_of(mv_id, connector_id);
  if (!anchor) return std::nullopt;
  const std::optional<store::CsObject> object =
      store::ConnectorSpace(store_, connector_id).get(*anchor);
  if (object && !object->dn.empty()) return object->dn;
  if (exporter::is_provisional_anchor(*anchor)) return std::nullopt;
  return anchor;
}

std::vector<uint64_t> OutboundReferences::translate(DesiredAttributes& want,
                                                    uint32_t connector_id) {
  std::vector<uint64_t> missing;
  for (auto& [key, attribute] : want) {
    if (attribute.type != IDSYNC_VALUE_REFERENCE) continue;
    std::vector<std::string> names;
    for (const std::string& value : attribute.values) {
      if (value.size() != 8) continue;  // not an MV id: nothing this engine wrote
      const uint64_t id = store::mv_id_of(value);
      if (auto name = name_in(connector_id, id))
        names.push_back(std::move(*name));
      else
        missing.push_back(id);
    }
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    attribute.values = std::move(names);
  }
  return missing;
}

std::optional<std::vector<store::AttributeDelta>> OutboundReferences::translate_change(
    const store::ValueChange& change, uint32_t connector_id, const std::string& name,
    const TargetAttribute* expected, std::vector<uint64_t>& missing) {
  std::unordered_set<std::string_view> held;
  if (expected) held.insert(expected->values.begin(), expected->values.end());
  store::AttributeDelta add{name, IDSYNC_VALUE_REFERENCE, store::ValueOp::add, {}};
  store::AttributeDelta remove{name, IDSYNC_VALUE_REFERENCE, store::ValueOp::remove, {}};
  for (const std::string& value : change.removed) {
    if (value.size() != 8) continue;  // not an MV id: nothing this engine wrote
    auto target = name_in(connector_id, store::mv_id_of(value));
    if (!target) return std::nullopt;
    if (held.count(*target)) remove.values.push_back(std::move(*target));
  }
  for (const std::string& value : change.added) {
    if (value.size() != 8) continue;
    const uint64_t id = store::mv_id_of(value);
    auto target = name_in(connector_id, id);
    if (!target)
      missing.push_back(id);
    else if (!held.count(*target))
      add.values.push_back(std::move(*target));
  }
  std::vector<store::AttributeDelta> out;
  for (store::AttributeDelta* d : {&add, &remove}) {
    std::sort(d->values.begin(), d->values.end());
    d->values.erase(std::unique(d->values.begin(), d->values.end()), d->values.end());
    if (!d->values.empty()) out.push_back(std::move(*d));
  }
  return out;
}

void OutboundReferences::provisioned(uint32_t connector_id, uint64_t mv_id, const std::string& dn) {
  provisioned_[{connector_id, mv_id}] = dn;
}

void OutboundReferences::wait(rocksdb::WriteBatch& batch, uint32_t connector_id, uint64_t target,
                              uint64_t holder) {
  waits_.wait(batch, store::ReferenceWaits::outbound_target(connector_id, target),
              store::mv_key(holder));
}

std::vector<uint64_t> OutboundReferences::linked(rocksdb::WriteBatch& batch, uint32_t connector_id,
                                                 uint64_t mv_id) {
  std::vector<uint64_t> holders;
  for (const std::string& h :
       waits_.take(batch, store::ReferenceWaits::outbound_target(connector_id, mv_id)))
    holders.push_back(store::mv_id_of(h));
  return holders;
}

void OutboundReferences::flushed() {
  provisioned_.clear();
  waits_.flushed();
}

}  // namespace idsync::sync
