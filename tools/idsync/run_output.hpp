// How run-profile and sync-cycle report the steps they ran, and how both stop on Ctrl-C.
#pragma once

#include <atomic>
#include <boost/json/object.hpp>
#include <ostream>
#include <string>

#include "runtime/runtime.hpp"

namespace idsync::cli {

// One line of counters for a step: imports and exports count adds/updates/deletes, syncs
// projections, joins and the pending exports they made.
std::string step_summary(const std::string& step, const importer::StepResult& result);

// "HR / Full Import / full_import: success - 15 adds, ... 0.1 s", and the message below it.
void print_step(std::ostream& out, const runtime::ProfileReport& report,
                const runtime::StepReport& step);

boost::json::object step_json(const runtime::StepReport& step);

// Ctrl-C and SIGTERM set the returned flag (steps stop at their next page or batch).
const std::atomic<bool>* install_stop_signals();

}  // namespace idsync::cli
