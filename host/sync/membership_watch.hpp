// Group-based filtering (ISMEMBEROF) when membership changes: the member's own object did not
// change, its group did, yet the member must come into (or leave) scope at the next sync.
//
// For every group that an enabled inbound rule of the connector names in ISMEMBEROF or
// ISNOTMEMBEROF, the member list as last synced is kept in `progress` (key: connector id +
// "members/" + the group's name in lower case; value: the member values). When the group's CS
// object is synced, the members added or removed since are handed back, to be queued for sync,
// and the list is replaced in the same batch. Groups no rule watches cost nothing.
#pragma once

#include <rocksdb/write_batch.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "store/cs_object.hpp"
#include "store/store.hpp"
#include "sync_rules/rule_set.hpp"

namespace idsync::sync {

class MembershipWatch {
 public:
  MembershipWatch(store::Store& store, const sync_rules::RuleSet& rules, std::string_view connector,
                  uint32_t connector_id);

  bool empty() const { return groups_.empty(); }

  // `object` (anchor `anchor`; null or a pending delete: gone, so no members) was synced. The
  // anchors of the connector-space objects whose membership of a watched group it changed.
  std::vector<std::string> changed_members(rocksdb::WriteBatch& batch, std::string_view anchor,
                                           const store::CsObject* object);

 private:
  store::Store& store_;
  uint32_t connector_id_;
  std::vector<std::string> groups_;  // lower case, as the rules name them
};

}  // namespace idsync::sync
