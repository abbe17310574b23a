#include "sync/membership_watch.hpp"

#include <algorithm>
#include <map>

#include "store/codec.hpp"
#include "store/connector_space.hpp"

namespace idsync::sync {

namespace {

// Member values by their lower-case form (the first spelling kept).
using Members = std::map<std::string, std::string>;

Members decode_members(const std::optional<std::string>& value) {
  Members out;
  if (!value) return out;
  store::Decoder d(*value);
  const uint64_t n = d.varint();
  for (uint64_t i = 0; i < n; ++i) {
    std::string v(d.bytes());
    out.emplace(store::lowercase(v), std::move(v));
  }
  return out;
}

}  // namespace

MembershipWatch::MembershipWatch(store::Store& store, const sync_rules::RuleSet& rules,
                                 std::string_view connector, uint32_t connector_id)
    : store_(store), connector_id_(connector_id) {
  for (const sync_rules::SyncRule& r : rules.all()) {
    if (r.disabled || r.direction != sync_rules::Direction::kInbound ||
        !store::iequals(r.connector, connector))
      continue;
    for (const auto& group : r.scoping.groups)
      for (const auto& c : group.conditions)
        if (c.op == sync_rules::ScopeOperator::kIsMemberOf ||
            c.op == sync_rules::ScopeOperator::kIsNotMemberOf) {
          std::string name = store::lowercase(c.value);
          if (std::find(groups_.begin(), groups_.end(), name) == groups_.end())
            groups_.push_back(std::move(name));
        }
  }
}

std::vector<std::string> MembershipWatch::changed_members(rocksdb::WriteBatch& batch,
                                                          std::string_view anchor,
                                                          const store::CsObject* object) {
  std::vector<std::string> out;
  const std::string by_anchor = store::lowercase(anchor);
  const std::string by_dn = object ? store::lowercase(object->dn) : std::string();
  for (const std::string& group : groups_) {
    if (group != by_anchor && (by_dn.empty() || group != by_dn)) continue;
    const std::string key = store::connector_key(connector_id_, "members/" + group);
    Members now;
    if (object && object->pending != store::PendingChange::remove)
      if (const store::Attribute* a = object->find("member"))
        for (const std::string& v : a->values) now.emplace(store::lowercase(v), v);
    const Members before = decode_members(store_.get(store::Family::progress, key));
    const store::ConnectorSpace cs(store_, connector_id_);
    auto changed = [&](const std::string& value) {
      if (auto a = cs.anchor_by_dn(value))
        out.push_back(*a);
      else if (cs.get(value))
        out.push_back(value);
    };
    for (const auto& [k, v] : now)
      if (!before.count(k)) changed(v);
    for (const auto& [k, v] : before)
      if (!now.count(k)) changed(v);
    std::string value;
    store::Encoder e(value);
    e.varint(now.size());
    for (const auto& [k, v] : now) e.bytes(v);
    batch.Put(store_.family(store::Family::progress), key, value);
  }
  return out;
}

}  // namespace idsync::sync
