// Cancellation: the host's sink answers is_cancelled nonzero and page_end IDSYNC_STOP.
#include <idsync/plugin_abi.h>

#include <catch2/catch.hpp>
#include <vector>

#include "contract/harness.hpp"
#include "contract/hook_checks.hpp"
#include "contract/import_runs.hpp"

namespace idsync::contract {

// What the ABI allows a plugin cancelled from the start, with page size 1 and at least two
// objects: it may poll is_cancelled and stop before pushing anything, or not poll and push one
// page; either way the first page_end answers STOP, after which it must return IDSYNC_STOP at
// once. It cannot finish with import_end: a second object would need a page_end first (page
// size 1), and that page_end stops it.
TEST_CASE("full import: cancelled from the start, it stops at the first page boundary",
          "[instance][import][cancel]") {
  auto h = Harness::open("cancellation");
  if (!h) return;
  auto instance = h->create();
  const std::vector<ImportedObject> all = complete_full_import(*instance, 1);
  if (all.size() < 2) {
    WARN("SKIPPED: the import has " << all.size()
                                    << " objects; cancellation needs at least 2 to be observable");
    return;
  }

  RecordingImportSink::Options options;
  options.page_size = 1;
  options.cancelled = true;
  ImportRun run = run_import(*instance, options);
  const RecordingImportSink& sink = *run.sink;
  INFO("is_cancelled was polled " << sink.is_cancelled_calls() << " times; " << sink.pages().size()
                                  << " pages committed, " << sink.uncommitted().size()
                                  << " objects pushed after them");
  {
    INFO("status " << status_name(run.status) << " (" << run.diag->describe() << ")");
    CHECK(run.status == IDSYNC_STOP);
  }
  CHECK(sink.import_end_calls() == 0);
  {
    INFO("protocol breaches (including calls after STOP):" << lines(sink.violations()));
    CHECK(sink.violations().empty());
  }
  CHECK(sink.pages().size() <= 1);
  CHECK(sink.committed().size() + sink.uncommitted().size() <= 1);

  // IDSYNC_STOP is not a failure: the same instance imports normally afterwards.
  const std::vector<ImportedObject> after = complete_full_import(*instance, 1000);
  CHECK(compare_objects(all, after).empty());
}

}  // namespace idsync::contract
