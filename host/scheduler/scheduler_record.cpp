#include "scheduler/scheduler_record.hpp"

#include <boost/json.hpp>

#include "manifest/intervals.hpp"
#include "store/codec.hpp"

namespace idsync::scheduler {

namespace json = boost::json;

namespace {

constexpr int64_t kFormat = 1;

int64_t unix_ms(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
TimePoint from_unix_ms(int64_t ms) { return TimePoint(std::chrono::milliseconds(ms)); }

[[noreturn]] void bad(const std::string& what) {
  throw store::CorruptRecord("the scheduler record " + what);
}

const json::value* member(const json::object& o, std::string_view key) {
  const auto it = o.find(key);
  return it == o.end() ? nullptr : &it->value();
}

bool as_bool(const json::value& v, std::string_view key) {
  if (!v.is_bool()) bad("has a non-boolean " + std::string(key));
  return v.get_bool();
}

int64_t as_int(const json::value& v, std::string_view key) {
  if (!v.is_int64()) bad("has a non-integer " + std::string(key));
  return v.get_int64();
}

std::chrono::seconds as_interval(const json::value& v, std::string_view key) {
  if (!v.is_string()) bad("has a non-text " + std::string(key));
  const auto s = manifest::parse_interval(std::string_view(v.get_string()));
  if (!s || s->count() == 0) bad("has an invalid " + std::string(key));
  return *s;
}

}  // namespace

std::string encode_scheduler_record(const SchedulerRecord& r) {
  json::object o;
  o["format"] = kFormat;
  if (r.sync_cycle_enabled.set) o["sync_cycle_enabled"] = r.sync_cycle_enabled.value;
  if (r.maintenance_enabled.set) o["maintenance_enabled"] = r.maintenance_enabled.value;
  if (r.customized_sync_cycle_interval.set) {
    const auto& v = r.customized_sync_cycle_interval.value;
    o["customized_sync_cycle_interval"] =
        v ? json::value(manifest::format_interval(*v)) : json::value(nullptr);
  }
  if (r.purge_run_history_interval.set)
    o["purge_run_history_interval"] = manifest::format_interval(r.purge_run_history_interval.value);
  if (r.active_hours.set) {
    const auto& v = r.active_hours.value;
    o["active_hours"] = v ? json::value(manifest::format_active_hours(*v)) : json::value(nullptr);
  }
  if (r.next_sync_cycle_policy_type.set)
    o["next_sync_cycle_policy_type"] = manifest::to_string(r.next_sync_cycle_policy_type.value);
  if (r.last_cycle_started) o["last_cycle_started_unix_ms"] = unix_ms(*r.last_cycle_started);
  if (r.last_cycle_ended) o["last_cycle_ended_unix_ms"] = unix_ms(*r.last_cycle_ended);
  if (r.last_maintenance) o["last_maintenance_unix_ms"] = unix_ms(*r.last_maintenance);
  if (r.scheduler_suspended) {
    o["scheduler_suspended"] = true;
    o["suspended_reason"] = r.suspended_reason;
  }
  return json::serialize(o);
}

SchedulerRecord decode_scheduler_record(std::string_view text) {
  json::error_code ec;
  const json::value doc = json::parse(text, ec);
  if (ec || !doc.is_object()) bad("is not a JSON object");
  const json::object& o = doc.get_object();
  const json::value* format = member(o, "format");
  if (!format || !format->is_int64() || format->get_int64() != kFormat)
    bad("has an unknown format (written by a newer idsync?)");

  SchedulerRecord r;
  for (const auto& [key, v] : o) {
    if (key == "format") continue;
    if (key == "sync_cycle_enabled") {
      r.sync_cycle_enabled = {true, as_bool(v, key)};
    } else if (key == "maintenance_enabled") {
      r.maintenance_enabled = {true, as_bool(v, key)};
    } else if (key == "customized_sync_cycle_interval") {
      r.customized_sync_cycle_interval.set = true;
      if (!v.is_null()) r.customized_sync_cycle_interval.value = as_interval(v, key);
    } else if (key == "purge_run_history_interval") {
      r.purge_run_history_interval = {true, as_interval(v, key)};
    } else if (key == "active_hours") {
      r.active_hours.set = true;
      if (!v.is_null()) {
        if (!v.is_string()) bad("has a non-text active_hours");
        r.active_hours.value = manifest::parse_active_hours(std::string_view(v.get_string()));
        if (!r.active_hours.value) bad("has an invalid active_hours");
      }
    } else if (key == "next_sync_cycle_policy_type") {
      if (v == "Initial")
        r.next_sync_cycle_policy_type = {true, manifest::SyncCyclePolicy::kInitial};
      else if (v == "Delta")
        r.next_sync_cycle_policy_type = {true, manifest::SyncCyclePolicy::kDelta};
      else
        bad("has an unknown next_sync_cycle_policy_type");
    } else if (key == "last_cycle_started_unix_ms") {
      r.last_cycle_started = from_unix_ms(as_int(v, key));
    } else if (key == "last_cycle_ended_unix_ms") {
      r.last_cycle_ended = from_unix_ms(as_int(v, key));
    } else if (key == "last_maintenance_unix_ms") {
      r.last_maintenance = from_unix_ms(as_int(v, key));
    } else if (key == "scheduler_suspended") {
      r.scheduler_suspended = as_bool(v, key);
    } else if (key == "suspended_reason") {
      if (!v.is_string()) bad("has a non-text suspended_reason");
      r.suspended_reason = v.get_string().c_str();
    } else {
      bad("has an unknown member \"" + std::string(key) + "\" (written by a newer idsync?)");
    }
  }
  return r;
}

SchedulerRecord read_scheduler_record(const store::Store& store) {
  const auto value = store.get_setting(kSchedulerRecordKey);
  if (!value) return {};
  try {
    return decode_scheduler_record(*value);
  } catch (const store::CorruptRecord& e) {
    throw store::CorruptRecord(
        "store " + store.path().string() + ": " + e.what() +
        "; `idsync scheduler reset` clears it (the manifest's values apply again)");
  }
}

void write_scheduler_record(store::Store& store, const SchedulerRecord& record) {
  store.put_setting(kSchedulerRecordKey, encode_scheduler_record(record));
}

}  // namespace idsync::scheduler
