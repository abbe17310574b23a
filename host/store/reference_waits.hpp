// References that resolve to nothing yet, and who holds them (family `ref_wait`).
//
// A reference names an object that may not be in the metaverse yet (a group synced before its
// members) or not yet in a target connector (a member provisioned after its group). Rather
// than re-evaluating every object with an unresolved reference at every sync, which would make
// a sync cost grow with the directory, the holder is written down under the object it waits
// for; when that object is linked, the waiters are taken and re-synced. An entry whose holder
// meanwhile dropped the reference costs one extra re-sync, nothing more.
//
// Keys: connector id (4 bytes BE), a kind byte, then
//   'i' (inbound): u32 BE length + lowercase(DN or anchor of the awaited CS object), then the
//       waiting CS object's anchor (same connector);
//   'o' (outbound): the awaited MV object's id (8 bytes BE), then the waiting MV object's id.
// Values are empty.
//
// Entries written in a batch are also kept here until flushed(), so that an object linked
// later in the same batch finds the waiters recorded earlier in it.
//
// Most connectors have nothing waiting at all (no references, or all of them resolved), and
// every object linked asks. So the first take() of a connector and kind looks once whether the
// store holds any entry of them; while it holds none and this instance wrote none, take()
// reads nothing. One instance serves one step: a step's own writes are all it can miss, and
// wait() records those.
#pragma once

#include <rocksdb/write_batch.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/store.hpp"

namespace idsync::store {

class ReferenceWaits {
 public:
  explicit ReferenceWaits(Store& store) : store_(store) {}

  // The key prefix of the waiters on a CS object of `connector_id` named by `value` (its DN or
  // anchor, compared ignoring ASCII case).
  static std::string inbound_target(uint32_t connector_id, std::string_view value);
  // The key prefix of the waiters on MV object `mv_id` being linked in `connector_id`.
  static std::string outbound_target(uint32_t connector_id, uint64_t mv_id);

  void wait(rocksdb::WriteBatch& batch, const std::string& target, std::string_view waiter);
  // Every waiter on `target` (committed or written in this batch), removed in `batch`.
  std::vector<std::string> take(rocksdb::WriteBatch& batch, const std::string& target);
  // The batch was written (or dropped): forget its entries.
  void flushed() { in_batch_.clear(); }

 private:
  // Whether entries of the connector and kind of `target` may exist outside in_batch_.
  bool may_hold(const std::string& target);

  Store& store_;
  std::vector<std::string> in_batch_;  // full keys written since the last flushed()
  // Per connector and kind (the first 5 bytes of a key): whether entries may exist.
  std::vector<std::pair<std::string, bool>> kinds_;
};

}  // namespace idsync::store
