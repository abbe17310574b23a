#include "contract/import_runs.hpp"

#include <catch2/catch.hpp>

#include "contract/hook_checks.hpp"

namespace idsync::contract {

ImportRun run_import(Instance& instance, RecordingImportSink::Options options,
                     const std::string& checkpoint, const std::string& watermark) {
  ImportRun run;
  run.sink = std::make_unique<RecordingImportSink>(options);
  run.diag = std::make_unique<RecordingDiag>();
  const bool full = options.kind == ImportKind::full;
  run.label = std::string(full ? "full_import" : "delta_import") + " (page size " +
              std::to_string(options.page_size) + (checkpoint.empty() ? "" : ", resumed") + ")";
  run.status = full ? instance.full_import(checkpoint, *run.sink, *run.diag)
                    : instance.delta_import(watermark, checkpoint, *run.sink, *run.diag);
  check_hook_status(run.label, run.status, *run.diag, !run.sink->violations().empty());
  return run;
}

std::vector<ImportedObject> require_complete(const ImportRun& run) {
  const RecordingImportSink& sink = *run.sink;
  {
    INFO(run.label << " returned " << status_name(run.status) << " (" << run.diag->describe()
                   << "); protocol breaches:" << lines(sink.violations()));
    REQUIRE(run.status == IDSYNC_OK);
  }
  {
    INFO(run.label << " breached the import protocol:" << lines(sink.violations()));
    REQUIRE(sink.violations().empty());
  }
  {
    INFO(run.label << " returned IDSYNC_OK but called import_end " << sink.import_end_calls()
                   << " times; a successful import ends with exactly one import_end");
    REQUIRE(sink.import_end_calls() == 1);
  }
  {
    INFO(run.label << " pushed " << sink.uncommitted().size()
                   << " objects after its last commit; the host discards them");
    REQUIRE(sink.uncommitted().empty());
  }
  return sink.committed();
}

std::vector<ImportedObject> complete_full_import(Instance& instance, uint32_t page_size,
                                                 ImportRun* keep) {
  RecordingImportSink::Options options;
  options.kind = ImportKind::full;
  options.page_size = page_size;
  ImportRun run = run_import(instance, options);
  std::vector<ImportedObject> objects = require_complete(run);
  if (keep) *keep = std::move(run);
  return objects;
}

}  // namespace idsync::contract
