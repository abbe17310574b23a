// A dry run of the sync engine for one connector-space object: what a Full Sync of that object
// would decide, and why, with nothing committed (idsync object trace).
//
// The trace copies the store (store::Store::checkpoint: hard links, cheap at any size), runs
// the real engine on the copy (inbound sync of the one object, then outbound sync of the MV
// object it touches) and compares the copy with the store, then deletes the copy. So the trace
// shows exactly what the engine would do, not what a second implementation of the rules
// thinks it would. Around the engine's result it evaluates, on the store as it is, the
// inbound rules' scoping filters and join groups for the object, and the outbound rules'
// scoping filters on the resulting MV object, so the admin sees why.
//
// The store must be open read-write in this process (a running daemon holds it: the trace then
// fails with the store's "in use" error). Throws TraceError for an unknown connector or anchor,
// store::StoreError for store failures.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "manifest/manifest.hpp"
#include "runtime/runtime.hpp"
#include "store/cs_object.hpp"
#include "store/mv_object.hpp"
#include "store/pending_export.hpp"
#include "store/secret_attributes.hpp"

namespace idsync::runtime {

class TraceError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One rule and whether its scoping filter holds for the object it was evaluated on.
struct RuleVerdict {
  std::string rule;
  std::string connector;
  std::string link_type;  // "Join", "Provision", "StickyJoin"
  int64_t precedence = 0;
  bool in_scope = false;
};

// What inbound sync decided for the CS object.
enum class JoinOutcome {
  stays_joined,  // was linked, stays linked (values flow)
  joined,        // linked to an existing MV object by a join rule
  projected,     // a new MV object was created by a Provision rule
  disconnected,  // was linked; deleted in the source or out of scope: the link goes
  not_joined,    // stays a disconnector: no join match and no Provision rule in scope
  join_error,    // ambiguous join, or the match is already joined to another object
  error,         // an expression failed on the object's data
};
std::string_view to_string(JoinOutcome outcome);  // "stays-joined", "joined", ...

// One MV attribute before and after; provenance of the value after (when it has one).
struct AttributeTrace {
  std::string name;
  idsync_value_type type = IDSYNC_VALUE_STRING;
  std::vector<std::string> before;
  std::vector<std::string> after;
  std::optional<store::Provenance> provenance;  // who set `after`
  std::string source_connector;                 // the provenance's connector, by name
  bool changed() const { return before != after; }
};

// A pending export the sync would create or change (before: what is queued now, if anything).
struct ExportTrace {
  std::string connector;
  std::string anchor;  // a provisional anchor for an object being provisioned
  std::optional<store::PendingExport> before;
  std::optional<store::PendingExport> after;  // none: withdrawn
  store::SecretAttributes secrets;            // the connector's, whose values are never shown
};

struct ObjectTrace {
  std::string connector;
  store::CsObject object;
  store::SecretAttributes secrets;         // the connector's, whose values are never shown
  std::vector<RuleVerdict> inbound_rules;  // the connector's rules for the CS type
  JoinOutcome outcome = JoinOutcome::not_joined;
  std::string explanation;  // the join decision in words: which rule and group, or why not
  std::optional<uint64_t> mv_before;
  std::optional<uint64_t> mv_after;
  std::string mv_object_type;
  bool mv_deleted = false;                 // the MV object is deleted by this sync (deprovisioning)
  std::vector<AttributeTrace> attributes;  // of the MV object, sorted by name
  std::vector<RuleVerdict> outbound_rules;  // evaluated on the MV object after inbound sync
  std::vector<ExportTrace> exports;
  std::vector<std::string> errors;  // what the engine reported for the object
};

ObjectTrace trace_object(Runtime& runtime, const manifest::ConnectorDecl& connector,
                         const std::string& anchor);

}  // namespace idsync::runtime
