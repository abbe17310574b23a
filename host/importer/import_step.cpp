#include "importer/import_step.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <idsync/sdk.hpp>

#include "common/diag_collector.hpp"
#include "importer/connector_schema.hpp"
#include "importer/missing_objects.hpp"
#include "importer/source_health.hpp"

namespace idsync::importer {

std::string stopped_status(idsync_status status, idsync_error_kind kind) {
  if (status == IDSYNC_STOP) return "stopped-user";
  if (status == IDSYNC_UNSUPPORTED) return "stopped-unsupported";
  if (status == IDSYNC_FATAL) return "stopped-fatal";
  switch (kind) {
    case IDSYNC_ERR_CONNECTION:
    case IDSYNC_ERR_TIMEOUT:
      return "stopped-connectivity";
    case IDSYNC_ERR_CONFIG:
    case IDSYNC_ERR_PERMISSION:
      return "stopped-configuration";
    case IDSYNC_ERR_PRECONDITION:
      return "stopped-precondition";
    case IDSYNC_ERR_INVALID_VALUE:
      return "stopped-data-error";
    default:
      break;
  }
  return status == IDSYNC_RETRY ? "stopped-retry" : "stopped-error";
}

namespace {

std::string not_reimported_warning(uint64_t objects) {
  return std::to_string(objects) + (objects == 1 ? " object does" : " objects do") +
         " not hold what the last export sent (exported-change-not-reimported): the connected "
         "system did not apply the export or changed it back since";
}

// Names only: the values are what must never be shown.
void warn_dropped_secrets(const std::string& connector, const std::vector<std::string>& names) {
  if (names.empty()) return;
  std::string list;
  for (const std::string& n : names) list += (list.empty() ? "" : ", ") + n;
  spdlog::warn(
      "[{}] the connector imported its secret attribute(s) {}, which it declares "
      "write-only; the host did not keep them",
      connector, list);
}

}  // namespace

namespace {

// One import of the kind `options` asks for.
StepResult import_once(store::Store& store, const std::string& connector_name,
                       const idsync_connector_type& type, idsync_connector* instance,
                       const ImportStepOptions& options) {
  StepResult result;
  const bool full = options.kind == store::ImportKind::full;
  const auto hook = full ? type.full_import : type.delta_import;
  if (!hook) {
    result.status = "stopped-unsupported";
    result.message = "connector type " + std::string(type.type_id) + " does not support " +
                     (full ? "full" : "delta") + " import";
    return result;
  }

  const uint32_t id = store.connector_id(connector_name);
  // Before anything is staged, so that a secret is never stored nor checked, and the sync
  // after this import knows the secrets before it plans anything.
  const store::SecretAttributes secrets =
      refresh_secret_attributes(store, id, connector_name, type, instance);
  const store::ProgressRecords records(store, id);
  const auto interrupted = records.in_progress();
  const auto watermark = records.watermark();

  store::ImportProgress progress;
  std::string checkpoint;
  if (full) {
    if (interrupted && interrupted->kind == store::ImportKind::full) {
      progress = *interrupted;
      result.resumed = true;
    } else {
      progress.kind = store::ImportKind::full;
      progress.generation = records.last_generation() + 1;
      progress.started_empty = !holds_importable_objects(store, id);
    }
  } else {
    if (!watermark) {
      result.status = "stopped-precondition";
      result.error_kind = IDSYNC_ERR_PRECONDITION;
      result.message =
          "connector " + connector_name + " has no watermark yet: run a full import first";
      return result;
    }
    if (interrupted && interrupted->kind == store::ImportKind::delta &&
        interrupted->base_watermark == *watermark) {
      progress = *interrupted;
      result.resumed = true;
    } else {
      progress.kind = store::ImportKind::delta;
      progress.base_watermark = *watermark;
    }
  }
  if (interrupted && !result.resumed)
    spdlog::warn("[{}] an interrupted {} import is abandoned; this {} import starts over",
                 connector_name, interrupted->kind == store::ImportKind::full ? "full" : "delta",
                 full ? "full" : "delta");
  if (!result.resumed)
    progress.started_unix = std::chrono::duration_cast<std::chrono::seconds>(
                                std::chrono::system_clock::now().time_since_epoch())
                                .count();
  else
    spdlog::info("[{}] resuming the interrupted {} import after {} pages", connector_name,
                 full ? "full" : "delta", progress.counters.pages);

  // One call of the connector's hook from `progress`. A resumed import that the connector cannot
  // continue (PRECONDITION before anything new was committed) is started over once, from an
  // empty checkpoint and, for a full import, with a new generation.
  for (int attempt = 0;; ++attempt) {
    const std::string checkpoint = progress.checkpoint;
    PageStager stager(store, id, progress,
                      DeletePolicy{options.full_import_delete_limit, options.allow_deletes_once},
                      secrets);
    common::DiagCollector diag(connector_name);
    ImportSink sink(stager, diag, options.page_size, options.cancel, options.on_progress);

    const std::string wm = full ? std::string() : progress.base_watermark;
    idsync_import_request request{
        sizeof(idsync_import_request),
        {reinterpret_cast<const uint8_t*>(checkpoint.data()), checkpoint.size()},
        {reinterpret_cast<const uint8_t*>(wm.data()), wm.size()},
        options.page_size};
    idsync_status status = hook(instance, &request, sink.sink(), diag.diag());
    warn_dropped_secrets(connector_name, stager.dropped_secrets());
    if (status == IDSYNC_OK && !sink.ended()) {
      status = IDSYNC_ERROR;
      diag.set(IDSYNC_ERR_INTERNAL,
               "connector returned OK without ending the import (import_end was not called)");
    }
    if (status != IDSYNC_OK) {
      // Whatever was pushed after the last committed page is dropped: the store keeps whole pages.
      stager.discard();
      const store::ImportCounters committed = stager.counters();
      if (attempt == 0 && result.resumed && status == IDSYNC_ERROR &&
          diag.error_kind() == IDSYNC_ERR_PRECONDITION &&
          committed.pages == progress.counters.pages) {
        spdlog::warn("[{}] the interrupted import cannot be resumed ({}); starting it over",
                     connector_name, diag.error_message());
        store::ImportProgress fresh;
        fresh.kind = progress.kind;
        fresh.base_watermark = progress.base_watermark;
        fresh.started_unix = progress.started_unix;
        if (full) {
          fresh.generation = progress.generation + 1;
          fresh.started_empty = !holds_importable_objects(store, id);
        }
        progress = std::move(fresh);
        result.restarted = true;
        continue;
      }
      result.counters = committed;
      result.object_issues = stager.issues();
      result.status = stopped_status(status, diag.error_kind());
      result.error_kind = diag.error_kind();
      result.message = diag.has_error() ? diag.error_message()
                                        : "connector returned " + sdk::status_name(status);
      return result;
    }
    result.counters = stager.counters();
    result.object_issues = stager.issues();
    if (const auto& held = stager.held_back()) {
      result.status = kStoppedSourceHealth;
      result.message = source_health_message(*held, options.full_import_delete_limit,
                                             connector_name, options.run_profile);
      spdlog::warn("[{}] {}", connector_name, result.message);
      return result;
    }
    std::string warnings;
    if (full && !sink.all_results_returned())
      warnings =
          "the connector did not return all results, so objects missing from the source were not "
          "staged as deletes";
    if (result.counters.not_reimported > 0)
      warnings +=
          (warnings.empty() ? "" : "; ") + not_reimported_warning(result.counters.not_reimported);
    result.status = warnings.empty() ? "success" : "completed-warnings";
    result.message = std::move(warnings);
    return result;
  }
}

// A delta import of a connector that has none: a full import in its place, whose comparison
// with the connector space finds what changed and what was deleted, at the cost of reading
// everything. The step says so, so that an admin knows which mode ran.
StepResult full_instead(store::Store& store, const std::string& connector_name,
                        const idsync_connector_type& type, idsync_connector* instance,
                        const ImportStepOptions& options, const std::string& why) {
  const std::string note =
      why +
      "; a full import ran in its place (its comparison with the connector space finds "
      "changes and deletes)";
  spdlog::info("[{}] {}", connector_name, note);
  ImportStepOptions full = options;
  full.kind = store::ImportKind::full;
  StepResult result = import_once(store, connector_name, type, instance, full);
  result.message = result.message.empty() ? note : note + "; " + result.message;
  return result;
}

}  // namespace

StepResult run_import(store::Store& store, const std::string& connector_name,
                      const idsync_connector_type& type, idsync_connector* instance,
                      const ImportStepOptions& options) {
  const bool delta = options.kind == store::ImportKind::delta;
  if (delta && type.delta_import == nullptr)
    return full_instead(store, connector_name, type, instance, options,
                        "connector type " + std::string(type.type_id) + " has no delta import");
  StepResult result = import_once(store, connector_name, type, instance, options);
  // Some connectors know only at run time (from what the service offers) that they cannot
  // read changes; UNSUPPORTED before anything was staged is that answer.
  if (delta && result.status == "stopped-unsupported" && result.counters.objects == 0 &&
      result.counters.pages == 0)
    return full_instead(store, connector_name, type, instance, options,
                        "the delta import is not available (" + result.message + ")");
  return result;
}

}  // namespace idsync::importer
