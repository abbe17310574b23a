// Per-connector overrides that the next cycle consumes (Entra Connect's
// Set-ADSyncSchedulerConnectorOverride): FullImportRequired and FullSyncRequired. An admin sets
// them; so does idsync itself when it knows a delta step cannot be trusted (the source rejected
// the watermark, the manifest's rules or filters for the connector changed). Each carries why
// it was set, which the run history repeats when the cycle acts on it.
//
// Contract:
//   - Kept in the `meta` family under "connector_override/" + connector id; one JSON record
//     per connector; a connector without a record has neither override.
//   - A cycle clears an override after the step that honours it succeeded; a failed full
//     import leaves FullImportRequired set for the next cycle.
//   - A record that does not decode throws store::CorruptRecord naming the connector and how
//     to repair it.
//   - Reads and writes are safe from any thread (Store::get_setting), beside a running cycle.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "store/store.hpp"

namespace idsync::scheduler {

struct ConnectorOverride {
  bool full_import_required = false;
  std::string full_import_reason;  // why, when set
  bool full_sync_required = false;
  std::string full_sync_reason;
  bool operator==(const ConnectorOverride&) const = default;
  bool any() const { return full_import_required || full_sync_required; }
};

std::string connector_override_key(uint32_t connector_id);

std::string encode_connector_override(const ConnectorOverride& o);
ConnectorOverride decode_connector_override(std::string_view text);

// `connector` names it in the repair message.
ConnectorOverride read_connector_override(const store::Store& store, uint32_t connector_id,
                                          const std::string& connector);
// Writes the record, or deletes it when nothing is set.
void write_connector_override(store::Store& store, uint32_t connector_id,
                              const ConnectorOverride& o);

// Sets one or both flags on a connector's record, keeping what is already set.
void require_full_import(store::Store& store, const std::string& connector, std::string reason);
void require_full_sync(store::Store& store, const std::string& connector, std::string reason);

}  // namespace idsync::scheduler
