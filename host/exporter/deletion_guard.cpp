#include "exporter/deletion_guard.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "store/codec.hpp"
#include "store/pending_export.hpp"
#include "store/prefix_scan.hpp"

namespace idsync::exporter {

PendingCounts count_pending(const store::Store& store, uint32_t connector_id,
                            std::string_view after) {
  PendingCounts c;
  auto visit = [&](std::string_view, std::string_view value) {
    const store::PendingExportHead pe = store::peek_pending_export(value);
    ++c.total;
    if (pe.attempts > 0) ++c.retries;
    switch (pe.kind) {
      case store::ExportKind::add:
        ++c.adds;
        break;
      case store::ExportKind::update:
        ++c.updates;
        break;
      case store::ExportKind::remove:
        ++c.deletes;
        break;
      case store::ExportKind::remove_add:
        ++c.delete_adds;
        break;
    }
    return true;
  };
  const std::string prefix = store::connector_prefix(connector_id);
  if (after.empty())
    store::scan_prefix(store, store::Family::pending_export, prefix, visit);
  else
    store::scan_prefix_after(store, store::Family::pending_export, prefix, after, visit);
  return c;
}

namespace {

// The deletes as a percentage of the connector space. Deletes from an empty space (which the
// store should not hold) count as all of it, so that a percentage threshold still guards them.
double share_percent(uint64_t deletes, uint64_t space_objects) {
  if (space_objects == 0) return 100.0;
  return 100.0 * static_cast<double>(deletes) / static_cast<double>(space_objects);
}

// The smallest whole percentage that lets `deletes` through (at most 100).
uint64_t percent_needed(uint64_t deletes, uint64_t space_objects) {
  if (space_objects == 0) return 100;
  return std::min<uint64_t>(100, (100 * deletes + space_objects - 1) / space_objects);
}

// A name as one shell word, so that the advised commands can be pasted as they are.
std::string shell_word(std::string_view name) {
  const bool plain = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           std::string_view("@%+=:,./_-").find(c) != std::string_view::npos;
  });
  if (plain) return std::string(name);
  std::string quoted = "\"";
  for (char c : name) {
    if (std::string_view("\"\\$`").find(c) != std::string_view::npos) quoted += '\\';
    quoted += c;
  }
  return quoted + "\"";
}

}  // namespace

bool exceeds_deletion_threshold(uint64_t deletes, uint64_t space_objects,
                                const ExportStepOptions& options) {
  if (!options.deletion_threshold_enabled || deletes == 0) return false;
  if (options.deletion_threshold_percent)
    return share_percent(deletes, space_objects) > *options.deletion_threshold_percent;
  return deletes > options.deletion_threshold;
}

std::string deletion_threshold_message(uint64_t deletes, uint64_t space_objects,
                                       const ExportStepOptions& options,
                                       std::string_view connector_name) {
  std::string text = std::to_string(deletes) + " pending delete" + (deletes == 1 ? "" : "s");
  const char* exceed = deletes == 1 ? " exceeds" : " exceed";
  std::string raise_to;  // the smallest threshold of the same kind that lets these deletes go
  if (options.deletion_threshold_percent) {
    char share[64];
    std::snprintf(share, sizeof share, " (%.1f%% of %llu objects)",
                  share_percent(deletes, space_objects),
                  static_cast<unsigned long long>(space_objects));
    char limit[32];
    std::snprintf(limit, sizeof limit, "%g%%", *options.deletion_threshold_percent);
    text += std::string(share) + exceed + " the deletion threshold of " + limit +
            " of the connector space";
    raise_to = std::to_string(percent_needed(deletes, space_objects)) + "%";
  } else {
    text += std::string(exceed) + " the deletion threshold of " +
            std::to_string(options.deletion_threshold);
    raise_to = std::to_string(deletes);
  }
  const std::string connector = " --connector " + shell_word(connector_name);
  const std::string profile =
      " --profile " + (options.run_profile.empty() ? "PROFILE" : shell_word(options.run_profile));
  return text + "; nothing was exported. Check the deletes with `idsync pending-exports" +
         connector + "`, then let them through once with `idsync run-profile" + connector +
         profile +
         " --allow-deletes`, or raise the threshold with `idsync deletion-threshold enable" +
         connector + " --threshold " + raise_to + "`";
}

}  // namespace idsync::exporter
