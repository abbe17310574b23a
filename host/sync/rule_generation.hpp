// Which rules every object has been evaluated under: what lets a Full Sync skip re-evaluating
// outbound flow for objects that nothing has changed, and a Delta Sync trust what the last Full
// Sync computed (sync/inbound_references.hpp applies a member change to the MV values the
// previous sync left, which holds only if the inbound rules are the ones they came from).
//
// A Full Sync re-evaluates outbound flow for every MV object its connector is linked to, so
// that a change of the outbound rules reaches every object. Without a change that is all
// wasted work: an Initial cycle would evaluate each object once per connector it is linked to
// (HR projects it, Badges joins it, the Directory holds it). So the store records a
// generation of the outbound rules (the record `\0\0\0\0outbound-rules` in `progress`):
//
//   - a fingerprint of what outbound evaluation depends on besides the data: every outbound
//     rule (all but its description and file) and the rule plugins (name and version) that
//     provide the functions and transforms;
//   - a generation number, raised whenever the fingerprint changes (an edit undone later is
//     still a new generation: objects were evaluated under the edit meanwhile);
//   - whether the generation began with an empty metaverse: then every MV object was marked
//     when it was made or changed, and evaluated under this generation.
//
// The inbound rules have a record of their own (`\0\0\0\0inbound-rules`, per connector
// id + "ingen"), kept the same way.
//
// Each connector records (`progress`, id + "outgen") the generation of its last completed
// Full Sync. A Full Sync marks its linked MV objects unless that is the current generation or
// the generation covers every object. Objects with an import change are marked anyway (their
// target state may have drifted), and outbound rules that call Now() always mark, since their
// values change with time.
#pragma once

#include <rocksdb/write_batch.h>

#include <cstdint>
#include <string>

#include "expressions/registry.hpp"
#include "store/store.hpp"
#include "sync_rules/rule_set.hpp"

namespace idsync::sync {

// The fingerprint of the outbound rules of `rules` and of the providers of `functions` (may
// be null); equal inputs give equal fingerprints across processes and builds.
uint64_t outbound_fingerprint(const sync_rules::RuleSet& rules,
                              const expr::FunctionRegistry* functions);

// Whether an enabled outbound rule calls Now(), so that its values depend on when it runs.
bool outbound_depends_on_time(const sync_rules::RuleSet& rules);

// The fingerprint of the inbound rules (every connector's), likewise.
uint64_t inbound_fingerprint(const sync_rules::RuleSet& rules,
                             const expr::FunctionRegistry* functions);

// The fingerprint of every rule, inbound and outbound, of one connector (named ignoring ASCII
// case): what the daemon compares when it reloads the manifest, to know which connectors need a
// Full Sync.
uint64_t connector_rules_fingerprint(const sync_rules::RuleSet& rules, std::string_view connector);

class RuleGeneration {
 public:
  // Reads the store's record of the rules of `direction` and, when the fingerprint of `rules`
  // differs (or there is none), starts a new generation and writes it at once: before any
  // object is evaluated under it. Throws store::StoreError.
  RuleGeneration(store::Store& store, const sync_rules::RuleSet& rules,
                 const expr::FunctionRegistry* functions,
                 sync_rules::Direction direction = sync_rules::Direction::kOutbound);

  uint64_t generation() const { return generation_; }

  // Whether a Full Sync of `connector_id` must mark every MV object it is linked to.
  bool full_sync_must_mark(uint32_t connector_id) const;
  // Whether `connector_id` completed a Full Sync under the current generation.
  bool full_sync_current(uint32_t connector_id) const;
  // Puts "connector_id completed a Full Sync under the current generation" into `batch` (the
  // batch that completes the step).
  void completed_full_sync(rocksdb::WriteBatch& batch, uint32_t connector_id) const;

 private:
  store::Store& store_;
  const std::string record_key_;
  const std::string_view connector_suffix_;
  uint64_t generation_ = 0;
  bool covers_all_ = false;
  bool time_dependent_ = false;
};

}  // namespace idsync::sync
