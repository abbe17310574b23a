// The control protocol between the CLI and the daemon, over control_socket/unix_socket.hpp: one
// JSON request line from the CLI, then from the daemon any number of progress lines and one
// final line, after which the daemon closes the connection.
//
//   request:  {"op": "scheduler.show" | "scheduler.set" | "scheduler.reset" |
//                    "scheduler.suspend" | "override.show" |
//                    "override.set" | "staging.set" | "deletion_threshold.set" |
//                    "cycle.start" | "cycle.stop" |
//                    "run.status" | "run_profile" | "ping", ...arguments}
//   progress: {"progress": {...}}              (cycle.start with "wait", run_profile)
//   final:    {"ok": true, "result": {...}}
//          or {"ok": false, "exit": 1|2, "error": "message"}
#pragma once

#include <boost/json/object.hpp>
#include <functional>
#include <string>

#include "control_socket/unix_socket.hpp"

namespace idsync::control {

std::string progress_line(const boost::json::object& progress);
std::string result_line(const boost::json::object& result);
std::string error_line(int exit_code, const std::string& message);

// The outcome of one call: `result` when ok, else `exit_code` and `error`.
struct Reply {
  bool ok = false;
  boost::json::object result;
  int exit_code = 1;
  std::string error;
};

// Sends `request` and reads the reply, handing progress lines to `on_progress` (may be
// empty). Waits at most `idle` between two lines (a daemon running a long step sends progress
// at least every few seconds). Throws ControlError when the daemon goes away or answers
// something that is not the protocol.
Reply call(Connection& daemon, const boost::json::object& request,
           const std::function<void(const boost::json::object&)>& on_progress,
           std::chrono::milliseconds idle = std::chrono::minutes(5));

}  // namespace idsync::control
