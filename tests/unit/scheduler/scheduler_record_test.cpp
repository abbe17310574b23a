// The scheduler's stored record and the view an admin sees: manifest values under run-time
// settings, derived values recomputed at once, damage reported rather than guessed.
#include "scheduler/scheduler_record.hpp"

#include <rocksdb/write_batch.h>

#include <catch2/catch.hpp>

#include "scheduler/scheduler_view.hpp"
#include "store/codec.hpp"
#include "support.hpp"
#include "support/temp_dir.hpp"

using namespace idsync::scheduler;
using idsync::manifest::ActiveHours;
using idsync::manifest::SchedulerSettings;
using idsync::manifest::SyncCyclePolicy;
using idsync::testing::TempDir;
using idsync::testing::utc;
using namespace std::chrono_literals;

TEST_CASE("a scheduler record round-trips and survives a reopen") {
  SchedulerRecord r;
  r.sync_cycle_enabled = {true, false};
  r.maintenance_enabled = {true, true};
  r.customized_sync_cycle_interval = {true, std::nullopt};  // cleared on purpose
  r.purge_run_history_interval = {true, 48h};
  r.active_hours = {true, ActiveHours{8h, 20h}};
  r.next_sync_cycle_policy_type = {true, SyncCyclePolicy::kInitial};
  r.last_cycle_started = utc(21, 10, 0);
  r.last_cycle_ended = utc(21, 10, 7);
  r.last_maintenance = utc(20, 3, 0);
  r.scheduler_suspended = true;
  r.suspended_reason = kSuspendedForUpgrade;
  CHECK(decode_scheduler_record(encode_scheduler_record(r)) == r);
  CHECK(decode_scheduler_record(encode_scheduler_record(SchedulerRecord{})) == SchedulerRecord{});

  TempDir dir;
  {
    auto store = idsync::store::Store::open(dir / "db");
    CHECK(read_scheduler_record(*store) == SchedulerRecord{});
    write_scheduler_record(*store, r);
  }
  auto store = idsync::store::Store::open(dir / "db");
  CHECK(read_scheduler_record(*store) == r);
}

TEST_CASE("a damaged scheduler record is reported with its repair") {
  for (const char* bad : {"", "[]", R"({"format": 2})", R"({"format": 1, "sync_cycle_enabled": 1})",
                          R"({"format": 1, "purge_run_history_interval": "00:00:00"})",
                          R"({"format": 1, "active_hours": "8-20"})",
                          R"({"format": 1, "next_sync_cycle_policy_type": "delta"})",
                          R"({"format": 1, "future_knob": true})"}) {
    CAPTURE(bad);
    CHECK_THROWS_AS(decode_scheduler_record(bad), idsync::store::CorruptRecord);
  }
  TempDir dir;
  auto store = idsync::store::Store::open(dir / "db");
  rocksdb::WriteBatch batch;
  batch.Put(store->family(idsync::store::Family::meta), kSchedulerRecordKey, "{");
  store->write(batch);
  CHECK_THROWS_WITH(read_scheduler_record(*store),
                    Catch::Contains("idsync scheduler reset") && Catch::Contains("scheduler"));
}

TEST_CASE("the view puts run-time settings over the manifest's") {
  SchedulerSettings m;
  m.allowed_sync_cycle_interval = 30min;
  m.customized_sync_cycle_interval = 1h;
  m.purge_run_history_interval = 7 * 24h;
  m.active_hours = ActiveHours{8h, 20h};
  const auto now = utc(21, 12, 0);

  SchedulerRecord r;
  SchedulerView v = view_scheduler(m, r, false, now);
  CHECK(v.allowed_sync_cycle_interval == 30min);
  CHECK(v.customized_sync_cycle_interval == 1h);
  CHECK(v.currently_effective_sync_cycle_interval == 1h);
  CHECK(v.next_sync_cycle_policy_type == SyncCyclePolicy::kDelta);
  CHECK(v.next_sync_cycle_start_time == now);  // nothing ran yet
  CHECK(v.sync_cycle_enabled);
  CHECK(v.maintenance_enabled);
  CHECK_FALSE(v.staging_mode_enabled);
  CHECK(v.active_hours == ActiveHours{8h, 20h});
  CHECK(v.cycle_due(now));

  r.last_cycle_started = utc(21, 11, 50);
  v = view_scheduler(m, r, false, now);
  CHECK(v.next_sync_cycle_start_time == utc(21, 12, 50));
  CHECK_FALSE(v.cycle_due(now));

  SECTION("a changed interval moves the next start at once") {
    r.customized_sync_cycle_interval = {true, 3h};
    CHECK(view_scheduler(m, r, false, now).next_sync_cycle_start_time == utc(21, 14, 50));
    // Below the floor: accepted, the allowed interval is used.
    r.customized_sync_cycle_interval = {true, 5min};
    v = view_scheduler(m, r, false, now);
    CHECK(v.customized_sync_cycle_interval == 5min);
    CHECK(v.currently_effective_sync_cycle_interval == 30min);
    CHECK(v.next_sync_cycle_start_time == utc(21, 12, 20));
    // Cleared: back to the allowed interval, not to the manifest's.
    r.customized_sync_cycle_interval = {true, std::nullopt};
    v = view_scheduler(m, r, false, now);
    CHECK_FALSE(v.customized_sync_cycle_interval);
    CHECK(v.currently_effective_sync_cycle_interval == 30min);
  }
  SECTION("disabled or suspended, no cycle starts by itself") {
    const auto later = utc(21, 18, 0);
    CHECK(view_scheduler(m, r, false, later).cycle_due(later));
    r.sync_cycle_enabled = {true, false};
    CHECK_FALSE(view_scheduler(m, r, false, later).cycle_due(later));
    r.sync_cycle_enabled = {true, true};
    r.scheduler_suspended = true;
    CHECK_FALSE(view_scheduler(m, r, false, later).cycle_due(later));
  }
  SECTION("staging mode from either the manifest or the store") {
    CHECK(view_scheduler(m, r, true, now).staging_mode_enabled);
    m.staging_mode_enabled = true;
    CHECK(view_scheduler(m, r, false, now).staging_mode_enabled);
  }
  SECTION("shown with the names admins know") {
    r.next_sync_cycle_policy_type = {true, SyncCyclePolicy::kInitial};
    const auto json = to_json(view_scheduler(m, r, false, now));
    CHECK(json.at("AllowedSyncCycleInterval") == "00:30:00");
    CHECK(json.at("CustomizedSyncCycleInterval") == "01:00:00");
    CHECK(json.at("NextSyncCyclePolicyType") == "Initial");
    CHECK(json.at("NextSyncCycleStartTimeInUTC") == "2026-11-21T12:50:00Z");
    CHECK(json.at("PurgeRunHistoryInterval") == "7.00:00:00");
    CHECK(json.at("SchedulerSuspended") == false);
    const std::string text = to_text(view_scheduler(m, r, false, now));
    CHECK_THAT(text, Catch::Contains("CurrentlyEffectiveSyncCycleInterval : 01:00:00\n"));
    CHECK_THAT(text, Catch::Contains("SyncCycleEnabled                    : True\n"));
  }
}
