#include "control/settings_operations.hpp"

#include <boost/json.hpp>
#include <cstdio>

#include "manifest/intervals.hpp"
#include "scheduler/connector_overrides.hpp"
#include "scheduler/scheduler_record.hpp"
#include "scheduler/scheduler_view.hpp"
#include "store/admin_settings.hpp"
#include "store/codec.hpp"

namespace idsync::control {

namespace json = boost::json;

namespace {

constexpr int kWrongRequest = 2;

json::object view_json(const manifest::Manifest& m, const store::Store* store, TimePoint now) {
  const scheduler::SchedulerRecord record =
      store ? scheduler::read_scheduler_record(*store) : scheduler::SchedulerRecord{};
  const bool staging = store && store::read_staging_mode(*store);
  return json::object{{"scheduler", scheduler::to_json(scheduler::view_scheduler(
                                        m.scheduler, record, staging, now))}};
}

std::chrono::seconds interval_of(const json::value& v, const char* name) {
  const json::string* text = v.if_string();
  const auto s = text ? manifest::parse_interval(std::string_view(*text)) : std::nullopt;
  if (!s)
    throw Refusal(kWrongRequest, std::string(name) + ": " + std::string(manifest::kIntervalSyntax));
  if (s->count() == 0)
    throw Refusal(kWrongRequest, std::string(name) + ": must be longer than 00:00:00");
  return *s;
}

bool bool_of(const json::value& v, const char* name) {
  if (!v.is_bool()) throw Refusal(kWrongRequest, std::string(name) + ": expected true or false");
  return v.get_bool();
}

}  // namespace

const manifest::ConnectorDecl& connector_named(const manifest::Manifest& m,
                                               const std::string& name) {
  if (const auto* decl = m.find_connector(name)) return *decl;
  std::string names;
  for (const auto& c : m.connectors) names += (names.empty() ? "" : ", ") + c.name;
  throw Refusal(kWrongRequest, "no connector named \"" + name + "\" in " + m.file.string() +
                                   " (connectors: " + (names.empty() ? "none" : names) + ")");
}

json::object scheduler_show(const manifest::Manifest& m, const store::Store* store, TimePoint now) {
  return view_json(m, store, now);
}

json::object scheduler_set(const manifest::Manifest& m, store::Store& store,
                           const json::object& changes, TimePoint now) {
  if (changes.empty()) throw Refusal(kWrongRequest, "nothing to set");
  scheduler::SchedulerRecord r = scheduler::read_scheduler_record(store);
  for (const auto& [key, v] : changes) {
    if (key == "CustomizedSyncCycleInterval") {
      r.customized_sync_cycle_interval = {
          true, v.is_null() ? std::nullopt
                            : std::optional(interval_of(v, "CustomizedSyncCycleInterval"))};
    } else if (key == "NextSyncCyclePolicyType") {
      if (v != "Delta" && v != "Initial")
        throw Refusal(kWrongRequest, "NextSyncCyclePolicyType: expected Delta or Initial");
      r.next_sync_cycle_policy_type = {true, v == "Initial" ? manifest::SyncCyclePolicy::kInitial
                                                            : manifest::SyncCyclePolicy::kDelta};
    } else if (key == "PurgeRunHistoryInterval") {
      r.purge_run_history_interval = {true, interval_of(v, "PurgeRunHistoryInterval")};
    } else if (key == "SyncCycleEnabled") {
      r.sync_cycle_enabled = {true, bool_of(v, "SyncCycleEnabled")};
    } else if (key == "MaintenanceEnabled") {
      r.maintenance_enabled = {true, bool_of(v, "MaintenanceEnabled")};
    } else if (key == "ActiveHours") {
      std::optional<manifest::ActiveHours> hours;
      if (!v.is_null()) {
        const json::string* text = v.if_string();
        hours = text ? manifest::parse_active_hours(std::string_view(*text)) : std::nullopt;
        if (!hours)
          throw Refusal(kWrongRequest, "ActiveHours: " + std::string(manifest::kActiveHoursSyntax));
      }
      r.active_hours = {true, hours};
    } else if (key == "StagingModeEnabled") {
      throw Refusal(kWrongRequest,
                    "StagingModeEnabled is not a scheduler setting here: use `idsync staging "
                    "enable` or `idsync staging disable`");
    } else if (key == "SchedulerSuspended") {
      throw Refusal(kWrongRequest,
                    "SchedulerSuspended is not a setting: a package upgrade suspends the "
                    "scheduler; `idsync scheduler suspend` and `idsync scheduler resume` hold and "
                    "release it by hand; to stop scheduled cycles for good, set SyncCycleEnabled "
                    "to false");
    } else {
      throw Refusal(kWrongRequest, "unknown scheduler setting \"" + std::string(key) + "\"");
    }
  }
  scheduler::write_scheduler_record(store, r);
  return view_json(m, &store, now);
}

json::object scheduler_reset(const manifest::Manifest& m, store::Store& store, TimePoint now) {
  scheduler::SchedulerRecord kept;
  try {
    const scheduler::SchedulerRecord old = scheduler::read_scheduler_record(store);
    kept.last_cycle_started = old.last_cycle_started;
    kept.last_cycle_ended = old.last_cycle_ended;
    kept.last_maintenance = old.last_maintenance;
    kept.scheduler_suspended = old.scheduler_suspended;
  } catch (const store::CorruptRecord&) {
    // The repair: a damaged record is replaced by an empty one.
  }
  scheduler::write_scheduler_record(store, kept);
  return view_json(m, &store, now);
}

json::object scheduler_suspend(const manifest::Manifest& m, store::Store& store, bool suspended,
                               const std::string& reason, TimePoint now) {
  scheduler::SchedulerRecord r = scheduler::read_scheduler_record(store);
  r.scheduler_suspended = suspended;
  r.suspended_reason = suspended ? (reason.empty() ? "set by an admin" : reason) : "";
  scheduler::write_scheduler_record(store, r);
  return view_json(m, &store, now);
}

json::object overrides_show(const manifest::Manifest& m, const store::Store* store,
                            const std::string& connector) {
  std::vector<const manifest::ConnectorDecl*> which;
  if (!connector.empty())
    which.push_back(&connector_named(m, connector));
  else
    for (const auto& c : m.connectors) which.push_back(&c);
  json::array list;
  for (const auto* decl : which) {
    scheduler::ConnectorOverride o;
    if (store)
      if (const auto id = store->find_connector_id(decl->name))
        o = scheduler::read_connector_override(*store, *id, decl->name);
    auto reason = [](bool set, const std::string& why) {
      return set ? json::value(why) : json::value(nullptr);
    };
    list.push_back(
        json::object{{"Connector", decl->name},
                     {"FullImportRequired", o.full_import_required},
                     {"FullSyncRequired", o.full_sync_required},
                     {"FullImportReason", reason(o.full_import_required, o.full_import_reason)},
                     {"FullSyncReason", reason(o.full_sync_required, o.full_sync_reason)}});
  }
  return json::object{{"overrides", std::move(list)}};
}

json::object override_set(const manifest::Manifest& m, store::Store& store,
                          const json::object& args) {
  const json::value* name = args.if_contains("connector");
  if (!name || !name->is_string()) throw Refusal(kWrongRequest, "a connector is required");
  const manifest::ConnectorDecl& decl = connector_named(m, std::string(name->get_string()));
  const json::value* import = args.if_contains("full_import_required");
  const json::value* sync = args.if_contains("full_sync_required");
  if (!import && !sync)
    throw Refusal(kWrongRequest,
                  "say what to set: --full-import-required and/or --full-sync-required");
  const uint32_t id = store.connector_id(decl.name);
  scheduler::ConnectorOverride o;
  // Setting both needs no read: that is also how a damaged record is repaired.
  if (!import || !sync) o = scheduler::read_connector_override(store, id, decl.name);
  const std::string by_admin = "set by an admin";
  if (import) {
    o.full_import_required = bool_of(*import, "FullImportRequired");
    o.full_import_reason = o.full_import_required ? by_admin : "";
  }
  if (sync) {
    o.full_sync_required = bool_of(*sync, "FullSyncRequired");
    o.full_sync_reason = o.full_sync_required ? by_admin : "";
  }
  scheduler::write_connector_override(store, id, o);
  return overrides_show(m, &store, decl.name);
}

json::object deletion_threshold_set(const manifest::Manifest& m, store::Store& store,
                                    const json::object& args) {
  const json::value* name = args.if_contains("connector");
  if (!name || !name->is_string()) throw Refusal(kWrongRequest, "a connector is required");
  const manifest::ConnectorDecl& decl = connector_named(m, std::string(name->get_string()));
  const json::value* enabled = args.if_contains("enabled");
  if (!enabled || !enabled->is_bool()) throw Refusal(kWrongRequest, "enabled: expected a boolean");
  const uint32_t id = store.connector_id(decl.name);
  store::DeletionThreshold t;
  try {
    t = store::read_deletion_threshold(store, id);
  } catch (const store::CorruptRecord&) {
    // Replaced below: writing a new one is the repair.
  }
  t.enabled = enabled->get_bool();
  if (const json::value* threshold = args.if_contains("threshold")) {
    if (threshold->is_int64() && threshold->get_int64() >= 0) {
      t.count = static_cast<uint64_t>(threshold->get_int64());
      t.percent.reset();
    } else if (threshold->is_string()) {
      // "P%": validated by the caller's parser as well; checked again here for the wire.
      const std::string text(threshold->get_string());
      int percent = 0;
      if (text.size() < 2 || text.back() != '%' || std::sscanf(text.c_str(), "%d", &percent) != 1 ||
          percent < 1 || percent > 100 || std::to_string(percent) + "%" != text)
        throw Refusal(kWrongRequest, "threshold: expected N deletes or P% from 1% to 100%");
      t.percent = static_cast<uint8_t>(percent);
    } else {
      throw Refusal(kWrongRequest, "threshold: expected N deletes or P% from 1% to 100%");
    }
  }
  store::write_deletion_threshold(store, id, t);
  return json::object{{"connector", decl.name}};
}

json::object staging_set(const manifest::Manifest& m, store::Store& store, bool enabled) {
  store::write_staging_mode(store, enabled);
  return json::object{{"enabled", enabled || m.scheduler.staging_mode_enabled},
                      {"store", enabled},
                      {"manifest", m.scheduler.staging_mode_enabled}};
}

}  // namespace idsync::control
