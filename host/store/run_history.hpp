// The operations log: one record per run-profile step, like the Synchronization Service
// Manager's Operations tab. Records are small JSON documents keyed by a rising run id.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "store/import_progress.hpp"
#include "store/store.hpp"

namespace idsync::store {

struct RunRecord {
  uint64_t id = 0;
  std::string connector;
  std::string profile;
  std::string step;    // full_import, delta_import, ...
  std::string status;  // success, completed-warnings, stopped-user, stopped-connectivity, ...
  int64_t started_unix_ms = 0;
  int64_t ended_unix_ms = 0;
  ImportCounters counters;
  std::string message;  // the error a person reads, when the step did not succeed
  // Why the step ran as it did when that is not the obvious (a Delta cycle's full import: "the
  // source rejected the watermark", "FullImportRequired: ..."); empty otherwise.
  std::string reason;
  // Per-object errors and warnings; the first kMaxListedIssues (all are counted in counters).
  std::vector<ObjectIssue> object_issues;
};

inline constexpr std::size_t kMaxListedIssues = 100;

// The JSON form of step counters, as the history stores them and the CLI prints them. Missing
// fields (records from before a counter existed) read as 0.
boost::json::object counters_to_json(const ImportCounters& counters);
ImportCounters counters_from_json(const boost::json::object& json);

class RunHistory {
 public:
  explicit RunHistory(Store& store) : store_(store) {}
  // Assigns the id and writes the record.
  uint64_t append(RunRecord record);
  // Deletes the records of steps that ended before `unix_ms` (maintenance's purge), oldest
  // first, in batches; returns how many went. The newest record always stays, so that ids keep
  // rising: a purge never lets one be reused.
  uint64_t purge_ended_before(int64_t unix_ms);
  // Newest first; `visit` returns false to stop.
  void for_each_newest_first(const std::function<bool(const RunRecord&)>& visit) const;

 private:
  Store& store_;
};

}  // namespace idsync::store
