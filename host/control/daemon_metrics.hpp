// What idsyncd's Prometheus endpoint shows (manifest "metrics": {"listen": "127.0.0.1:9464"},
// off by default): whether a job runs, the last and next cycle, cycles and steps counted since
// the daemon started, each connector's last step (duration, objects, errors, success) and last
// success, and its pending exports by kind.
//
// Built on the metrics server's thread, beside a running job: it reads RocksDB directly (never
// through the Store's batch bookkeeping, which belongs to the job's thread), so a figure may
// lag the job by a batch. Pending exports are counted by a scan of the connector's pending
// exports, at most once per kPendingRefresh and again after each job: a scrape every 15 s of a
// store with a million pending adds must not rescan them every time.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

#include "control/job_runner.hpp"
#include "manifest/manifest.hpp"
#include "runtime/runtime.hpp"
#include "runtime/sync_cycle.hpp"
#include "store/store.hpp"

namespace idsync::control {

inline constexpr std::chrono::seconds kPendingRefresh{60};

class DaemonMetrics {
 public:
  DaemonMetrics(store::Store& store, const JobRunner& jobs) : store_(store), jobs_(jobs) {}

  // Counted when a job ends (any thread).
  void count(const runtime::CycleReport& report);
  void count(const runtime::ProfileReport& report);

  // The page, for `manifest`'s connectors.
  std::string render(const manifest::Manifest& manifest);

 private:
  struct PendingCounts {
    uint64_t add = 0, update = 0, remove = 0, remove_add = 0;
  };
  PendingCounts pending_of(uint32_t connector_id);

  store::Store& store_;
  const JobRunner& jobs_;
  std::mutex mutex_;
  std::map<std::pair<std::string, std::string>, uint64_t> cycles_;  // (policy, result)
  std::map<std::tuple<std::string, std::string, std::string>, uint64_t> steps_;
  std::map<uint32_t, std::pair<std::chrono::steady_clock::time_point, PendingCounts>> pending_;
};

}  // namespace idsync::control
