// The source-health guard: a complete full import that would stage deletes for more objects
// than the connector's limit (full_import_delete_limit) stages none of them and stops with
// stopped-source-health. A source that answers "empty" is far more often broken than emptied,
// and the next sync would deprovision the objects everywhere. The admin checks the source and
// lets the deletes through once with `idsync run-profile ... --allow-deletes`.
#pragma once

#include <string>

#include "common/delete_limit.hpp"
#include "importer/missing_objects.hpp"

namespace idsync::importer {

inline constexpr char kStoppedSourceHealth[] = "stopped-source-health";

// Whether the deletes of `missing` must be held back.
inline bool source_unhealthy(const MissingObjects& missing, const common::DeleteLimit& limit,
                             bool allow_deletes_once) {
  return !allow_deletes_once && limit.exceeded_by(missing.missing, missing.objects);
}

// The run-history message of a held-back import: how many deletes of how many objects, the
// limit, and the command that lets them through once (`profile` empty: a placeholder).
std::string source_health_message(const MissingObjects& missing, const common::DeleteLimit& limit,
                                  const std::string& connector, const std::string& profile);

}  // namespace idsync::importer
