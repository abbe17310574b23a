// Export safety settings an admin changes at run time (idsync deletion-threshold, idsync
// staging-mode), held in the store rather than the manifest so that they take effect at the next
// export without editing or reloading the manifest, like Entra Connect's
// Enable-/Disable-/Get-ADSyncExportDeletionThreshold and its staging mode switch.
//
// Contract:
//   - Kept in the `meta` family under keys of their own (below); nothing else writes them.
//   - A setting never written reads as its default: the deletion threshold enabled at 500
//     deletes, staging mode off. A store that does not exist yet therefore has the defaults.
//   - A stored value that does not decode throws CorruptRecord naming the setting: a damaged
//     safety setting is never silently replaced by a default, which could let deletes through.
//   - Each write is one WriteBatch of its own, durable when the call returns. Reads and writes
//     are safe from any thread (Store::get_setting), beside a running step.
//
// Encoding (every record starts with a format byte, as in codec.hpp):
//   "deletion_threshold/" + connector id (u32 BE)
//       -> u8 format (1), u8 enabled (0|1), varint count, u8 percent (0: count mode; 1..100)
//   "staging_mode"
//       -> u8 format (1), u8 enabled (0|1)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/store.hpp"

namespace idsync::store {

constexpr uint64_t kDefaultDeletionThreshold = 500;

// A connector's export deletion threshold. When enabled, an export with more pending deletes
// than `count` (or, when `percent` is set, more than that share of the connector space; the
// count is then not checked) stops before sending anything. Disabled, deletes never stop an
// export. Disabling keeps count and percent, so that enabling again restores them.
struct DeletionThreshold {
  bool enabled = true;
  uint64_t count = kDefaultDeletionThreshold;
  std::optional<uint8_t> percent;  // 1..100
  bool operator==(const DeletionThreshold&) const = default;
};

std::string deletion_threshold_key(uint32_t connector_id);
inline constexpr char kStagingModeKey[] = "staging_mode";

void encode_deletion_threshold(const DeletionThreshold& threshold, std::string& out);
// Throws CorruptRecord on an unknown format, a flag other than 0 or 1, a percent above 100, or
// trailing bytes.
DeletionThreshold decode_deletion_threshold(std::string_view value);

// The connector's stored threshold, or the default when none was ever written.
DeletionThreshold read_deletion_threshold(const Store& store, uint32_t connector_id);
// Throws std::invalid_argument for a percent outside 1..100 (nothing is written).
void write_deletion_threshold(Store& store, uint32_t connector_id,
                              const DeletionThreshold& threshold);

// The store-wide staging mode flag: imports and syncs run, exports send nothing and the pending
// exports stay for an admin to inspect. The manifest's scheduler.staging_mode_enabled can force
// staging mode on as well; this flag is only the store's half.
bool read_staging_mode(const Store& store);
void write_staging_mode(Store& store, bool enabled);

}  // namespace idsync::store
