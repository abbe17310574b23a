#include "control/job_runner.hpp"

#include <boost/json.hpp>
#include <chrono>

#include "scheduler/scheduler_view.hpp"
#include "store/run_history.hpp"

namespace idsync::control {

namespace json = boost::json;

namespace {

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string utc(int64_t ms) {
  return scheduler::format_utc(
      std::chrono::system_clock::time_point(std::chrono::milliseconds(ms)));
}

}  // namespace

json::object to_json(const JobStatus& s) {
  json::object o{{"what", s.what},
                 {"origin", s.origin},
                 {"started", utc(s.started_unix_ms)},
                 {"stopping", s.stopping}};
  if (!s.step.empty()) {
    o["connector"] = s.connector;
    o["step"] = s.step;
    o["index"] = s.index + 1;
    o["total"] = s.total;
    o["step_started"] = utc(s.step_started_unix_ms);
    o["counters"] = store::counters_to_json(s.counters);
  }
  return o;
}

std::string describe(const JobStatus& s) {
  std::string out = s.what + " (" + s.origin + ")";
  if (!s.step.empty())
    out += ", step " + std::to_string(s.index + 1) + " of " + std::to_string(s.total) + ": " +
           s.connector + " " + s.step;
  out += ", started " + utc(s.started_unix_ms);
  if (s.stopping) out += ", stopping";
  return out;
}

class JobRunner::Context : public JobContext {
 public:
  explicit Context(JobRunner& runner) : runner_(runner) {}
  const std::atomic<bool>& cancel() const override { return runner_.cancel_; }
  void step(const std::string& connector, const std::string& step, std::size_t index,
            std::size_t total) override {
    const std::lock_guard lock(runner_.mutex_);
    if (!runner_.running_) return;
    runner_.running_->connector = connector;
    runner_.running_->step = step;
    runner_.running_->index = index;
    runner_.running_->total = total;
    runner_.running_->counters = {};
    runner_.running_->step_started_unix_ms = now_ms();
  }
  void progress(const store::ImportCounters& counters) override {
    const std::lock_guard lock(runner_.mutex_);
    if (runner_.running_) runner_.running_->counters = counters;
  }

 private:
  JobRunner& runner_;
};

JobRunner::~JobRunner() {
  if (thread_.joinable()) thread_.join();
}

std::optional<uint64_t> JobRunner::start(std::string what, std::string origin, Body body,
                                         JobStatus* running) {
  std::unique_lock lock(mutex_);
  if (running_) {
    if (running) *running = *running_;
    return std::nullopt;
  }
  if (thread_.joinable()) {
    // The last job's thread has ended its work (running_ is empty); collect it.
    lock.unlock();
    thread_.join();
    lock.lock();
    if (running_) {
      if (running) *running = *running_;
      return std::nullopt;
    }
  }
  JobStatus status;
  status.id = next_id_++;
  status.what = std::move(what);
  status.origin = std::move(origin);
  status.started_unix_ms = now_ms();
  running_ = status;
  last_result_.reset();
  cancel_ = false;
  thread_ = std::thread([this, b = std::move(body)]() mutable { run(std::move(b)); });
  return status.id;
}

void JobRunner::run(Body body) {
  Context context(*this);
  json::object result;
  try {
    result = body(context);
  } catch (const std::exception& e) {
    result = json::object{{"error", e.what()}};
  }
  {
    const std::lock_guard lock(mutex_);
    last_id_ = running_->id;
    last_result_ = std::move(result);
    running_.reset();
  }
  changed_.notify_all();
  if (on_end_) on_end_();
}

std::optional<JobStatus> JobRunner::status() const {
  const std::lock_guard lock(mutex_);
  return running_;
}

bool JobRunner::stop() {
  const std::lock_guard lock(mutex_);
  if (!running_) return false;
  running_->stopping = true;
  cancel_ = true;
  return true;
}

std::optional<json::object> JobRunner::wait_result(uint64_t id, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, timeout, [&] { return last_id_ >= id; });
  if (last_id_ == id && last_result_) return last_result_;
  return std::nullopt;
}

bool JobRunner::wait_idle(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return !running_; });
}

}  // namespace idsync::control
