#include "control/daemon.hpp"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <condition_variable>
#include <csignal>
#include <list>
#include <mutex>
#include <thread>

#include "control/daemon_metrics.hpp"
#include "control/job_runner.hpp"
#include "control/protocol.hpp"
#include "control/report_json.hpp"
#include "control/settings_operations.hpp"
#include "control_socket/peer_access.hpp"
#include "control_socket/unix_socket.hpp"
#include "manifest/diagnostics.hpp"
#include "metrics_http/metrics_server.hpp"
#include "runtime/runtime.hpp"
#include "runtime/sync_cycle.hpp"
#include "scheduler/connector_overrides.hpp"
#include "scheduler/scheduler_record.hpp"
#include "scheduler/scheduler_view.hpp"
#include "store/admin_settings.hpp"
#include "store/run_history.hpp"
#include "sync/rule_generation.hpp"
#include "sync_rules/rules_error.hpp"

namespace idsync::control {

namespace json = boost::json;
using Clock = std::chrono::system_clock;

namespace {

constexpr auto kMaintenanceEvery = std::chrono::hours(24);
constexpr char kMaintenance[] = "maintenance";
constexpr auto kRequestWait = std::chrono::seconds(10);
constexpr auto kProgressEvery = std::chrono::seconds(2);

class Daemon {
 public:
  explicit Daemon(const DaemonOptions& options) : options_(options) {}
  int run();

 private:
  std::shared_ptr<runtime::Runtime> current() {
    const std::lock_guard lock(mutex_);
    return runtime_;
  }
  void signal_loop(sigset_t signals);
  void scheduler_loop();
  void maybe_reload();
  void maintenance(runtime::Runtime& rt);
  std::optional<uint64_t> start_cycle(manifest::SyncCyclePolicy policy, const std::string& origin,
                                      JobStatus* running);
  void serve(Connection connection);
  json::object handle(const json::object& request, Connection& connection);
  json::object wait_for_job(uint64_t id, Connection& connection);
  void before_requested_job();
  [[noreturn]] static void refuse_busy(const JobStatus& running);

  DaemonOptions options_;
  std::mutex mutex_;
  std::condition_variable wake_;  // the scheduler's: settings, a job's end, a signal
  std::shared_ptr<runtime::Runtime> runtime_;
  std::shared_ptr<store::Store> store_;
  std::unique_ptr<SocketServer> server_;
  // Declared before the runner, so that it outlives the job thread that counts into it.
  std::unique_ptr<DaemonMetrics> metrics_;
  JobRunner jobs_;
  std::unique_ptr<metrics::MetricsServer> metrics_server_;  // renders from both
  std::atomic<bool> stopping_{false};
  bool reload_requested_ = false;
};

std::string problems_text(const std::vector<manifest::Diagnostic>& problems) {
  std::string out;
  for (const auto& p : problems) out += (out.empty() ? "" : "; ") + p.path + ": " + p.message;
  return out;
}

int Daemon::run() {
  // Signals go to one thread that waits for them; every other thread blocks them.
  sigset_t signals;
  sigemptyset(&signals);
  for (int s : {SIGTERM, SIGINT, SIGHUP}) sigaddset(&signals, s);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  try {
    runtime_ = std::make_shared<runtime::Runtime>(options_.manifest);
  } catch (const manifest::ManifestError& e) {
    spdlog::error("{}", e.what());
    return 2;
  }
  if (const auto problems = runtime_->check_connectors(); !problems.empty()) {
    spdlog::error("the manifest's connectors have problems: {}", problems_text(problems));
    return 2;
  }
  // The rules are read now, so that a SIGHUP compares the edited rules with the ones this
  // daemon started with. Broken rules do not stop it: sync steps report them until fixed.
  try {
    runtime_->rules();
  } catch (const sync_rules::RulesError& e) {
    spdlog::error("the sync rules do not load; sync steps will fail until they are fixed: {}",
                  e.what());
  }
  try {
    store_ = runtime_->shared_store();
    server_ = std::make_unique<SocketServer>(runtime_->manifest().control.socket);
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    return 1;
  }
  spdlog::info("idsyncd serving {} with the store {}", server_->path().string(),
               store_->path().string());
  if (auto record = scheduler::read_scheduler_record(*store_);
      !record.last_maintenance ||
      (record.scheduler_suspended && record.suspended_reason == scheduler::kSuspendedForUpgrade)) {
    // A first start counts as maintained: the first maintenance comes a day later, not in the
    // way of the first requests.
    if (!record.last_maintenance) record.last_maintenance = Clock::now();
    // A package upgrade suspended the scheduler; this daemon opened (and so migrated) the store.
    if (record.scheduler_suspended && record.suspended_reason == scheduler::kSuspendedForUpgrade) {
      record.scheduler_suspended = false;
      record.suspended_reason.clear();
      spdlog::info("the scheduler, suspended for an upgrade, runs again");
    }
    scheduler::write_scheduler_record(*store_, record);
  }
  metrics_ = std::make_unique<DaemonMetrics>(*store_, jobs_);
  if (const auto& listen = runtime_->manifest().metrics.listen) {
    try {
      const metrics::ListenAddress address = metrics::parse_listen_address(*listen);
      metrics_server_ = std::make_unique<metrics::MetricsServer>(
          address, [this] { return metrics_->render(current()->manifest()); });
      spdlog::info("metrics on http://{}/metrics", metrics::to_string(metrics::ListenAddress{
                                                       address.host, metrics_server_->port()}));
    } catch (const metrics::MetricsError& e) {
      spdlog::error("metrics.listen: {}", e.what());
      return 1;
    }
  }
  jobs_.on_end([this] { wake_.notify_all(); });

  std::thread signal_thread([this, signals] { signal_loop(signals); });
  std::thread scheduler_thread([this] { scheduler_loop(); });
  // One thread per connection; finished ones are joined as new ones come, so that a daemon
  // that answers CLI calls for months does not keep their threads.
  struct Worker {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done = std::make_shared<std::atomic<bool>>(false);
  };
  std::list<Worker> connections;
  while (!stopping_) {
    auto connection = server_->accept(std::chrono::seconds(1));
    for (auto it = connections.begin(); it != connections.end();) {
      if (!*it->done) {
        ++it;
        continue;
      }
      it->thread.join();
      it = connections.erase(it);
    }
    if (!connection) continue;
    Worker& w = connections.emplace_back();
    w.thread = std::thread([this, done = w.done, c = std::move(*connection)]() mutable {
      serve(std::move(c));
      *done = true;
    });
  }
  spdlog::info("stopping: the running step ends at its next boundary");
  jobs_.stop();
  jobs_.wait_idle(std::chrono::hours(24));
  wake_.notify_all();
  scheduler_thread.join();
  for (auto& w : connections) w.thread.join();
  // The signal thread waits in sigwait; a signal of our own ends it.
  pthread_kill(signal_thread.native_handle(), SIGTERM);
  signal_thread.join();
  metrics_server_.reset();
  server_.reset();
  spdlog::info("idsyncd stopped");
  return 0;
}

void Daemon::signal_loop(sigset_t signals) {
  for (;;) {
    int signal = 0;
    if (sigwait(&signals, &signal) != 0) continue;
    if (stopping_) return;
    if (signal == SIGHUP) {
      spdlog::info("SIGHUP: reading the manifest again");
      {
        const std::lock_guard lock(mutex_);
        reload_requested_ = true;
      }
      wake_.notify_all();
      continue;
    }
    spdlog::info("{}: stopping", signal == SIGTERM ? "SIGTERM" : "SIGINT");
    stopping_ = true;
    jobs_.stop();
    server_->wake();
    wake_.notify_all();
    return;
  }
}

std::optional<uint64_t> Daemon::start_cycle(manifest::SyncCyclePolicy policy,
                                            const std::string& origin, JobStatus* running) {
  auto rt = current();
  const std::string what = manifest::to_string(policy) + " sync cycle";
  DaemonMetrics* metrics = metrics_.get();
  return jobs_.start(
      what, origin,
      [rt, policy, metrics](JobContext& job) {
        runtime::RunOptions options;
        options.cancel = &job.cancel();
        options.on_progress = [&job](const std::string&, const store::ImportCounters& c) {
          job.progress(c);
        };
        const auto report = runtime::run_sync_cycle(
            *rt, policy, options, Clock::now(),
            [&job](const std::string& connector, const std::string& step, std::size_t i,
                   std::size_t total) { job.step(connector, step, i, total); });
        metrics->count(report);
        return json::object{{"cycle", to_json(report)}, {"ok", report.ok()}};
      },
      running);
}

void Daemon::scheduler_loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    maybe_reload();
    auto rt = current();
    Clock::duration sleep = options_.tick;
    try {
      const auto record = scheduler::read_scheduler_record(*store_);
      const auto view = scheduler::view_scheduler(rt->manifest().scheduler, record,
                                                  store::read_staging_mode(*store_), Clock::now());
      const auto now = Clock::now();
      if (!jobs_.status()) {
        if (view.cycle_due(now)) {
          spdlog::info("scheduler: starting a {} sync cycle",
                       manifest::to_string(view.next_sync_cycle_policy_type));
          start_cycle(view.next_sync_cycle_policy_type, "scheduler", nullptr);
        } else if (view.maintenance_enabled &&
                   (!record.last_maintenance ||
                    now - *record.last_maintenance >= kMaintenanceEvery)) {
          // A job like a cycle: maintenance writes the store, which one job at a time does.
          jobs_.start(kMaintenance, "scheduler", [this, rt](JobContext&) {
            maintenance(*rt);
            return json::object{{"ok", true}};
          });
        }
      }
      if (view.sync_cycle_enabled && !view.scheduler_suspended &&
          view.next_sync_cycle_start_time > now)
        sleep = std::min<Clock::duration>(sleep, view.next_sync_cycle_start_time - now);
    } catch (const std::exception& e) {
      spdlog::error("scheduler: {}", e.what());
    }
    lock.lock();
    if (stopping_) break;
    wake_.wait_for(lock, sleep);
  }
}

void Daemon::maintenance(runtime::Runtime& rt) {
  auto record = scheduler::read_scheduler_record(*store_);
  const auto view = scheduler::view_scheduler(rt.manifest().scheduler, record, false, Clock::now());
  const auto cutoff = Clock::now() - view.purge_run_history_interval;
  const uint64_t purged = store::RunHistory(*store_).purge_ended_before(
      std::chrono::duration_cast<std::chrono::milliseconds>(cutoff.time_since_epoch()).count());
  store_->compact(store::Family::runs);
  store_->compact(store::Family::sync_queue);
  store_->compact(store::Family::mv_dirty);
  record = scheduler::read_scheduler_record(*store_);
  record.last_maintenance = Clock::now();
  scheduler::write_scheduler_record(*store_, record);
  spdlog::info("maintenance: purged {} run history records older than {}, compacted the store",
               purged, scheduler::format_utc(cutoff));
}

void Daemon::maybe_reload() {
  {
    const std::lock_guard lock(mutex_);
    if (!reload_requested_ || jobs_.status()) return;  // applied once no job runs
    reload_requested_ = false;
  }
  auto old = current();
  std::shared_ptr<runtime::Runtime> fresh;
  try {
    fresh = std::make_shared<runtime::Runtime>(options_.manifest);
    if (const auto problems = fresh->check_connectors(); !problems.empty())
      throw std::runtime_error("the connectors have problems: " + problems_text(problems));
    if (fresh->manifest().store.path != old->manifest().store.path)
      throw std::runtime_error("store.path changed; restart idsyncd to use another store");
    if (fresh->manifest().control.socket != old->manifest().control.socket)
      throw std::runtime_error("control.socket changed; restart idsyncd to serve another socket");
    fresh->rules();  // throws RulesError with every problem
  } catch (const std::exception& e) {
    spdlog::error("SIGHUP: the manifest was refused, the old one stays: {}", e.what());
    return;
  }
  // What changed per connector decides what the next cycle must do in full.
  for (const auto& c : fresh->manifest().connectors) {
    const auto* before = old->manifest().find_connector(c.name);
    if (!before) continue;  // a new connector's first import and sync are full anyway
    if (before->config != c.config || before->object_types != c.object_types)
      scheduler::require_full_import(
          *store_, c.name, "the manifest's config or object types for " + c.name + " changed");
    // Old rules that never loaded (they were broken at start): the new ones are the first
    // this daemon can compare, so the connector syncs in full under them. loaded_rules() never
    // loads, since a job may be using the old runtime meanwhile.
    const runtime::LoadedRules* before_rules = old->loaded_rules();
    if (!before_rules || sync::connector_rules_fingerprint(before_rules->rules, c.name) !=
                             sync::connector_rules_fingerprint(fresh->rules().rules, c.name))
      scheduler::require_full_sync(*store_, c.name, "the sync rules for " + c.name + " changed");
  }
  fresh->use_store(store_);
  {
    const std::lock_guard lock(mutex_);
    runtime_ = fresh;
  }
  spdlog::info("SIGHUP: the manifest {} applies", options_.manifest.string());
}

void Daemon::serve(Connection connection) {
  try {
    if (!peer_allowed(connection)) {
      connection.write_line(error_line(1,
                                       "permission denied: only the daemon's user and group "
                                       "may use its socket"));
      return;
    }
    const auto line = connection.read_line(kRequestWait);
    if (!line) return;  // a probe: someone checked that the daemon is alive
    json::error_code ec;
    const json::value request = json::parse(*line, ec);
    if (ec || !request.is_object()) {
      connection.write_line(error_line(2, "the request is not a JSON object"));
      return;
    }
    try {
      connection.write_line(result_line(handle(request.get_object(), connection)));
    } catch (const Refusal& r) {
      connection.write_line(error_line(r.exit_code, r.what()));
    } catch (const ControlError&) {
      throw;
    } catch (const std::exception& e) {
      connection.write_line(error_line(1, e.what()));
    }
  } catch (const std::exception& e) {
    spdlog::debug("control connection: {}", e.what());
  }
}

// Before a requested job: refused while stopping; maintenance is short, so a request waits for
// it rather than being refused.
void Daemon::before_requested_job() {
  if (stopping_) throw Refusal(1, "idsyncd is stopping");
  if (const auto busy = jobs_.status(); busy && busy->what == kMaintenance)
    jobs_.wait_idle(std::chrono::minutes(5));
}

void Daemon::refuse_busy(const JobStatus& running) {
  throw Refusal(1, "a job is running: " + describe(running) +
                       "; wait for it, or stop it with `idsync sync-cycle stop`");
}

// Streams the running job's status until job `id` ends; returns its result.
json::object Daemon::wait_for_job(uint64_t id, Connection& connection) {
  for (;;) {
    if (auto result = jobs_.wait_result(id, kProgressEvery)) return *result;
    if (const auto status = jobs_.status(); status && status->id == id)
      connection.write_line(progress_line(to_json(*status)));
  }
}

json::object Daemon::handle(const json::object& request, Connection& connection) {
  const json::value* op_value = request.if_contains("op");
  if (!op_value || !op_value->is_string()) throw Refusal(2, "the request names no \"op\"");
  const std::string_view op = op_value->get_string();
  auto rt = current();
  const manifest::Manifest& m = rt->manifest();
  auto text = [&](std::string_view key) {
    const json::value* v = request.if_contains(key);
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
  };
  auto flag = [&](std::string_view key) {
    const json::value* v = request.if_contains(key);
    return v && v->is_bool() && v->get_bool();
  };
  auto settings_changed = [&](json::object result) {
    wake_.notify_all();
    return result;
  };

  if (op == "ping") return json::object{{"pid", static_cast<int64_t>(getpid())}};
  if (op == "scheduler.show") return scheduler_show(m, store_.get(), Clock::now());
  if (op == "scheduler.set") {
    const json::value* changes = request.if_contains("changes");
    if (!changes || !changes->is_object()) throw Refusal(2, "scheduler.set needs \"changes\"");
    return settings_changed(scheduler_set(m, *store_, changes->get_object(), Clock::now()));
  }
  if (op == "scheduler.reset") return settings_changed(scheduler_reset(m, *store_, Clock::now()));
  if (op == "scheduler.suspend")
    return settings_changed(
        scheduler_suspend(m, *store_, flag("suspended"), text("reason"), Clock::now()));
  if (op == "override.show") return overrides_show(m, store_.get(), text("connector"));
  if (op == "override.set") return override_set(m, *store_, request);
  if (op == "staging.set") return staging_set(m, *store_, flag("enabled"));
  if (op == "deletion_threshold.set") return deletion_threshold_set(m, *store_, request);
  if (op == "run.status") {
    const auto status = jobs_.status();
    return json::object{{"running", status ? json::value(to_json(*status)) : json::value()}};
  }
  if (op == "cycle.stop") {
    const auto status = jobs_.status();
    if (!status || !jobs_.stop()) return json::object{{"stopping", false}};
    return json::object{{"stopping", true}, {"what", describe(*status)}};
  }
  if (op == "cycle.start") {
    const std::string policy_text = text("policy");
    manifest::SyncCyclePolicy policy;
    if (policy_text.empty()) {
      const auto view = scheduler::view_scheduler(
          m.scheduler, scheduler::read_scheduler_record(*store_), false, Clock::now());
      policy = view.next_sync_cycle_policy_type;
    } else if (policy_text == "Delta" || policy_text == "Initial") {
      policy = policy_text == "Initial" ? manifest::SyncCyclePolicy::kInitial
                                        : manifest::SyncCyclePolicy::kDelta;
    } else {
      throw Refusal(2, "policy: expected Delta or Initial");
    }
    before_requested_job();
    JobStatus running;
    const auto id = start_cycle(policy, "requested", &running);
    if (!id) refuse_busy(running);
    if (!flag("wait"))
      return json::object{{"started", true}, {"policy", manifest::to_string(policy)}};
    return wait_for_job(*id, connection);
  }
  if (op == "run_profile") {
    const manifest::ConnectorDecl& decl = connector_named(m, text("connector"));
    const manifest::RunProfile* profile = decl.find_run_profile(text("profile"));
    if (!profile)
      throw Refusal(2,
                    "connector " + decl.name + " has no run profile \"" + text("profile") + "\"");
    const bool allow_deletes = flag("allow_deletes");
    before_requested_job();
    JobStatus running;
    const std::string connector = decl.name, name = profile->name;
    const auto id = jobs_.start(
        "run profile " + name + " of " + connector, "requested",
        [rt, connector, name, allow_deletes, metrics = metrics_.get()](JobContext& job) {
          const auto* d = rt->manifest().find_connector(connector);
          const auto* p = d->find_run_profile(name);
          runtime::RunOptions options;
          options.cancel = &job.cancel();
          options.allow_deletes_once = allow_deletes;
          options.on_progress = [&job, d](const std::string& step, const store::ImportCounters& c) {
            job.step(d->name, step, 0, 1);
            job.progress(c);
          };
          const auto report = rt->run_profile(*d, *p, options);
          metrics->count(report);
          return json::object{{"profile", to_json(report)}, {"ok", report.ok()}};
        },
        &running);
    if (!id) refuse_busy(running);
    return wait_for_job(*id, connection);
  }
  throw Refusal(2, "unknown request \"" + std::string(op) + "\"");
}

}  // namespace

int run_daemon(const DaemonOptions& options) { return Daemon(options).run(); }

}  // namespace idsync::control
