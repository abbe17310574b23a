// Which steps a sync cycle runs, in which order, and why each is a delta or a full step.
//
//   Initial: full import, full sync, export on every connector (stage by stage).
//   Delta:   delta import, delta sync, export; per connector a full import instead when
//              - it has no watermark yet (nothing to take a delta from);
//              - FullImportRequired is set (connector_overrides.hpp);
//              - its last import completed more than 7 days ago: a DirSync cookie or a
//                Graph delta link that old may have expired, or the source may have purged
//                the tombstones that would tell of deletes (Entra Connect's 7-day rule);
//            and a full sync instead when FullSyncRequired is set.
// The order is the manifest's cycle_sequence when it has one, else import, sync and export
// stages, each over the connectors in cycle order (runtime/sync_cycle.hpp) grouped as Entra
// Connect's scheduler runs them: imports and syncs of on-premises connectors first, then cloud
// ones; exports to cloud connectors first, then on-premises ones (the connector's "location"). A
// full import or full sync that succeeds in a cycle, planned for whatever reason, clears the
// matching override: the step it asked for has run.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "manifest/manifest.hpp"
#include "scheduler/connector_overrides.hpp"

namespace idsync::scheduler {

using TimePoint = std::chrono::system_clock::time_point;

inline constexpr std::chrono::hours kWatermarkMaxAge{24 * 7};

// What the plan needs to know of one connector.
struct ConnectorFacts {
  bool has_watermark = false;
  std::optional<TimePoint> last_import_completed;  // none: unknown (a store from before it)
  ConnectorOverride overrides;
};

struct PlannedStep {
  const manifest::ConnectorDecl* connector = nullptr;
  manifest::StepType type = manifest::StepType::kDeltaImport;
  // Why a step is a full one when the cycle is a Delta cycle; empty otherwise. The run history
  // records it.
  std::string reason;
};

// `order` is the connectors in cycle order (used when there is no cycle_sequence).
std::vector<PlannedStep> plan_cycle(
    const manifest::Manifest& manifest, const std::vector<const manifest::ConnectorDecl*>& order,
    manifest::SyncCyclePolicy policy,
    const std::function<ConnectorFacts(const manifest::ConnectorDecl&)>& facts, TimePoint now);

}  // namespace idsync::scheduler
