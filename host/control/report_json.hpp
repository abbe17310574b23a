// Step, run-profile and cycle reports as JSON: what the daemon sends the CLI, which turns them
// back into the same structs it prints when it runs the work itself, so that both print alike.
#pragma once

#include <boost/json/object.hpp>

#include "runtime/runtime.hpp"
#include "runtime/sync_cycle.hpp"

namespace idsync::control {

boost::json::object to_json(const runtime::ProfileReport& report);
boost::json::object to_json(const runtime::CycleReport& report);

// Throw std::invalid_argument (or a Boost.JSON error) on a document of another shape.
runtime::ProfileReport profile_report_from_json(const boost::json::object& o);
runtime::CycleReport cycle_report_from_json(const boost::json::object& o);

}  // namespace idsync::control
