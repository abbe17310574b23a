// idsyncd: holds the store, runs the scheduler and serves the control socket.
//
//   - The scheduler starts a cycle when one is due (scheduler/scheduler_view.hpp: enabled, not
//     suspended, next start reached, inside active hours), with NextSyncCyclePolicyType, and
//     runs maintenance when it is enabled and a day has passed since the last: the run history
//     older than PurgeRunHistoryInterval goes and the store is compacted. Never during a job.
//   - Requests (control/protocol.hpp) are answered on threads of their own, so run-status and
//     sync-cycle stop work while a cycle runs. One job at a time (job_runner.hpp): a second
//     start is refused with what runs.
//   - SIGTERM or SIGINT: the running step stops at its next page or batch boundary and is
//     recorded as stopped-user; the daemon then exits 0. The next start completes the work.
//   - SIGHUP: the manifest is read again. A manifest with errors is refused (its problems are
//     logged) and the old one stays. Otherwise the new one applies once no job runs; a
//     connector whose sync rules changed gets FullSyncRequired, and one whose config or object
//     types changed gets FullImportRequired, each with the reason. The store's path cannot
//     change without a restart (refused like an error).
//   - With the manifest's metrics.listen, Prometheus metrics on that loopback address
//     (daemon_metrics.hpp says which).
#pragma once

#include <atomic>
#include <filesystem>
#include <memory>

namespace idsync::control {

struct DaemonOptions {
  std::filesystem::path manifest;
  // How often the scheduler looks at the clock when nothing wakes it sooner.
  std::chrono::milliseconds tick = std::chrono::seconds(30);
};

// Runs until SIGTERM or SIGINT; returns the process's exit status (0 after a clean stop, 1 when
// the store or the socket cannot be opened, 2 for a broken manifest). Logs through spdlog.
int run_daemon(const DaemonOptions& options);

}  // namespace idsync::control
