// The host manifest: the one JSON file an admin writes to configure idsync.
//
//   {
//     "manifest_version": 1,                    optional; 1 is the only version
//     "store":       { "path": "state/store" }, REQUIRED: store.path
//     "plugin_dirs": ["plugins"],               default []: only the plugins shipped with idsync
//     "rules":       { "path": "rules" },       default <manifest folder>/rules
//     "log":         { "level": "info",         trace|debug|info|warn|error; default info
//                      "file": "log/idsync.log",   default: none, log to stderr
//                      "format": "text" }          text|json (one object per line); default text
//     "control":     { "socket": "run/idsync.sock" }  default <manifest folder>/run/idsync.sock
//     "metrics":     { "listen": "127.0.0.1:9464" }   default: no metrics endpoint; loopback only
//     "scheduler": {
//       "allowed_sync_cycle_interval": "00:30:00",    default 00:30:00; > 0: the floor
//       "sync_cycle_enabled": true,                   default true
//       "maintenance_enabled": true,                  default true
//       "staging_mode_enabled": false,                default false
//       "customized_sync_cycle_interval": "01:00:00", default none; > 0
//       "next_sync_cycle_policy_type": "Delta",       Delta|Initial; default Delta
//       "purge_run_history_interval": "7.00:00:00",   default 7 days; > 0
//       "active_hours": "08:00-20:00",                default none: any time of day
//       "connector_order": ["AD", "Entra"],           default []: declaration order
//       "cycle_sequence": [                           default []: import, sync, export stages
//         { "connector": "AD", "step": "import" } ]   step: import|sync|export
//     },
//     "connectors": [                           REQUIRED; may be []
//       { "name": "HR",                         REQUIRED, non-empty, unique ignoring case
//         "type": "file",                       REQUIRED: a connector type id of a plugin
//         "description": "HR export",           default ""
//         "config": { ... },                    default {}; checked by resolve_config()
//         "object_types": ["person"],           default []: all types
//         "full_import_delete_limit": "50%",    default "50%": see below
//         "deprovisioning": "delete_mv_object", delete_mv_object|make_disconnector: see below
//         "location": "on_premises",            on_premises|cloud: the cycle's stage order
//         "export_batch_size": 100,             default 100; 1..100000: pending exports per
//                                               export_batch call (a file target rewrites or
//                                               appends once per batch: larger is cheaper)
//         "run_profiles": {                     default {}; names non-empty, unique ignoring case
//           "Full Import": [ { "type": "full_import", "page_size": 1000 } ] } } ]
//   }                                           step type: full_import|delta_import|full_sync|
//                                               delta_sync|export; page_size 1..100000, def. 500
//
// full_import_delete_limit is the source-health guard: a complete full import that would stage
// deletes for more objects than this stops before staging any (stopped-source-health), until an
// admin checks the source and reruns it with `idsync run-profile ... --allow-deletes`. An
// integer >= 0 counts objects; a string "1%".."100%" is a share of the connector space. The
// default is "50%" because a source that suddenly returns half its objects less is far more
// often broken (an emptied export file, a wrong filter, a lost permission) than emptied on
// purpose, and the next sync would deprovision those objects everywhere.
//
// deprovisioning says what happens to the MV object when one of this connector's objects is
// disconnected (deleted in the source, or out of every inbound rule's scope). Always, the link
// goes and the values this connector contributed give way to the other sources. With
// "delete_mv_object" (the default, as Entra Connect's object deletion rule) the MV object is
// deleted too when no other linked connector has an inbound Provision rule for its type: its
// last authoritative source went, so outbound sync deprovisions it everywhere. With
// "make_disconnector" the MV object stays, with what the other sources give it.
//
// The scheduler's allowed_sync_cycle_interval is the floor no customized interval goes below
// (Entra Connect's AllowedSyncCycleInterval). The other scheduler keys that `idsync scheduler
// set` also changes (sync_cycle_enabled, maintenance_enabled, customized_sync_cycle_interval,
// next_sync_cycle_policy_type, purge_run_history_interval, active_hours) are starting values:
// once an admin sets one at run time, the store's value wins (host/scheduler). A cycle_sequence
// replaces the three stages of a cycle with explicit (connector, step) pairs, run as written:
// OLSync's six steps are on-premises import, hosted import, on-premises sync, hosted sync,
// hosted export, hosted import. A step's kind follows the cycle's policy (import is a delta or a
// full import, sync a delta or a full sync). It excludes connector_order.
//
// Relative paths resolve against the manifest file's folder; every path in the structs below
// is absolute and lexically normal. Keys are snake_case and exact; an unknown key anywhere is
// an error (with a did-you-mean), as is a key given twice in one object. Intervals use the
// Entra Connect syntax (intervals.hpp).
//
// Loading checks everything that can be checked without plugins; connector `config` objects are
// kept as JSON and checked against the plugin's declared fields by resolve_config()
// (plugin_config.hpp). Every problem is collected and thrown as one ManifestError
// (diagnostics.hpp).
#ifndef IDSYNC_MANIFEST_MANIFEST_HPP
#define IDSYNC_MANIFEST_MANIFEST_HPP

#include <idsync/plugin_abi.h>

#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/delete_limit.hpp"
#include "manifest/active_hours.hpp"
#include "manifest/diagnostics.hpp"

namespace idsync::manifest {

inline constexpr std::int64_t kManifestVersion = 1;
inline constexpr std::uint32_t kDefaultPageSize = 500;
inline constexpr std::uint32_t kMaxPageSize = 100000;
inline constexpr std::uint32_t kDefaultExportBatchSize = 100;

enum class StepType { kFullImport, kDeltaImport, kFullSync, kDeltaSync, kExport };

// The manifest spelling: "full_import", "delta_import", "full_sync", "delta_sync", "export".
std::string to_string(StepType type);
std::optional<StepType> parse_step_type(std::string_view text);

struct RunStep {
  StepType type = StepType::kFullImport;
  // Objects per page suggested to the connector (idsync_import_request::page_size).
  std::uint32_t page_size = kDefaultPageSize;
};

struct RunProfile {
  std::string name;            // as written, e.g. "Full Import"
  std::vector<RunStep> steps;  // at least one
  std::string json_path;       // e.g. connectors[0].run_profiles["Full Import"], for messages
};

// What disconnecting a CS object of a connector does to its MV object (see above).
enum class Deprovisioning { kDeleteMvObject, kMakeDisconnector };

// Where the connected system is, which orders a cycle's stages as Entra Connect's scheduler
// does: imports and syncs of on-premises connectors before cloud ones, exports to the cloud
// before exports on premises.
enum class ConnectorLocation { kOnPremises, kCloud };

struct ConnectorDecl {
  std::string name;
  std::string type;  // connector type id, e.g. "file"
  std::string description;
  boost::json::object config;             // unchecked until resolve_config()
  std::string json_path;                  // e.g. "connectors[0]", for messages
  std::vector<std::string> object_types;  // empty: all
  std::vector<RunProfile> run_profiles;   // in manifest order
  std::filesystem::path base_dir;         // the manifest's folder, for relative config paths
  // The most deletes a complete full import may stage without an admin allowing them.
  common::DeleteLimit full_import_delete_limit = common::kDefaultFullImportDeleteLimit;
  Deprovisioning deprovisioning = Deprovisioning::kDeleteMvObject;
  std::uint32_t export_batch_size = kDefaultExportBatchSize;
  ConnectorLocation location = ConnectorLocation::kOnPremises;

  // The run profile with this name, ignoring ASCII case; nullptr when there is none.
  const RunProfile* find_run_profile(std::string_view name) const;
};

struct StoreSettings {
  std::filesystem::path path;
};

struct RulesSettings {
  std::filesystem::path path;  // default <manifest folder>/rules
};

// Values match IDSYNC_LOG_* so that plugin log levels compare directly.
enum class LogLevel : std::int32_t {
  kTrace = IDSYNC_LOG_TRACE,
  kDebug = IDSYNC_LOG_DEBUG,
  kInfo = IDSYNC_LOG_INFO,
  kWarn = IDSYNC_LOG_WARN,
  kError = IDSYNC_LOG_ERROR,
};
std::string to_string(LogLevel level);  // "trace" ... "error"

// How idsyncd writes its log lines: text for people, or one JSON object per line for a log
// collector.
enum class LogFormat { kText, kJson };

struct LogSettings {
  LogLevel level = LogLevel::kInfo;
  std::optional<std::filesystem::path> file;  // none: standard error
  LogFormat format = LogFormat::kText;
};

struct ControlSettings {
  // The Unix socket the CLI talks to the running host through. Its absolute path must fit a
  // sockaddr_un (at most 107 bytes); longer is an error at load time rather than at bind().
  std::filesystem::path socket;  // default <manifest folder>/run/idsync.sock
};

struct MetricsSettings {
  // Where idsyncd serves Prometheus metrics ("127.0.0.1:9464", "[::1]:9464"); none: nowhere.
  // Checked at load time: a loopback address and a port.
  std::optional<std::string> listen;
};

// Entra Connect's Set-ADSyncScheduler NextSyncCyclePolicyType.
enum class SyncCyclePolicy { kDelta, kInitial };
std::string to_string(SyncCyclePolicy policy);  // "Delta", "Initial"

// One step of an explicit cycle sequence; its kind (delta or full) follows the cycle's policy.
enum class CycleStage { kImport, kSync, kExport };
std::string to_string(CycleStage stage);  // "import", "sync", "export"
struct CycleStep {
  std::string connector;  // spelt as the connector declares it
  CycleStage stage = CycleStage::kImport;
  bool operator==(const CycleStep&) const = default;
};

// Named after Entra Connect's Get-ADSyncScheduler settings.
struct SchedulerSettings {
  std::chrono::seconds allowed_sync_cycle_interval = std::chrono::minutes(30);
  bool sync_cycle_enabled = true;
  bool maintenance_enabled = true;
  bool staging_mode_enabled = false;
  std::optional<std::chrono::seconds> customized_sync_cycle_interval;
  SyncCyclePolicy next_sync_cycle_policy_type = SyncCyclePolicy::kDelta;
  std::chrono::seconds purge_run_history_interval = std::chrono::hours(24 * 7);
  std::optional<ActiveHours> active_hours;
  // Connector names in the order a sync cycle runs them, spelt as the connectors declare them
  // (each names an existing connector, at most once). Empty: the order of `connectors`.
  std::vector<std::string> connector_order;
  // When not empty, a cycle runs exactly these steps in this order (see above).
  std::vector<CycleStep> cycle_sequence;
};

struct Manifest {
  std::filesystem::path file;      // absolute; empty when parsed without a file name
  std::filesystem::path base_dir;  // the folder of `file` (else the working directory)
  std::int64_t manifest_version = kManifestVersion;
  StoreSettings store;
  std::vector<std::filesystem::path> plugin_dirs;
  RulesSettings rules;
  LogSettings log;
  ControlSettings control;
  MetricsSettings metrics;
  SchedulerSettings scheduler;
  std::vector<ConnectorDecl> connectors;  // in manifest order

  // The connector with this name, ignoring ASCII case; nullptr when there is none.
  const ConnectorDecl* find_connector(std::string_view name) const;
};

// Reads and checks the manifest at `file`. Throws ManifestError naming `file` as given, with
// every problem found (including "cannot read the manifest: <reason>").
Manifest load_manifest(const std::filesystem::path& file);

// Checks manifest text. `file_for_messages` names the file in ManifestError::what() and its
// folder (made absolute against the working directory) anchors relative paths; the file itself
// is not read. An empty name anchors at the working directory and shows as "<manifest>".
Manifest parse_manifest(std::string_view text, const std::filesystem::path& file_for_messages);

}  // namespace idsync::manifest

#endif  // IDSYNC_MANIFEST_MANIFEST_HPP
