// Resuming a full import from the checkpoint of its last committed page, as the host does after
// a cancellation or a crash.
#include <idsync/plugin_abi.h>

#include <catch2/catch.hpp>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "contract/harness.hpp"
#include "contract/hook_checks.hpp"
#include "contract/import_runs.hpp"
#include "contract/text.hpp"

namespace idsync::contract {

TEST_CASE("full import: resuming from a checkpoint loses and duplicates nothing",
          "[instance][import][checkpoint]") {
  auto h = Harness::open("checkpoint resume");
  if (!h) return;

  const std::pair<uint32_t, std::size_t> cases[] = {{1, 1}, {1, 2}, {1, 3}, {2, 1}, {2, 2}};
  for (const auto& [page_size, stop_page] : cases) {
    DYNAMIC_SECTION("page size " << page_size << ", stopped after page " << stop_page) {
      const auto state_dir = h->new_state_dir();
      auto first = h->create(state_dir);
      ImportRun whole;
      const std::vector<ImportedObject> expected = complete_full_import(*first, page_size, &whole);
      if (whole.sink->pages().size() < stop_page) {
        WARN("SKIPPED: the import has only " << whole.sink->pages().size()
                                             << " committed pages; add data to the fixture");
        return;
      }

      RecordingImportSink::Options options;
      options.page_size = page_size;
      options.stop_after_page = stop_page;
      ImportRun stopped = run_import(*first, options);
      const RecordingImportSink& sink = *stopped.sink;
      {
        INFO("page_end answered IDSYNC_STOP after page "
             << stop_page << "; the plugin must return IDSYNC_STOP right away. Status: "
             << status_name(stopped.status) << " (" << stopped.diag->describe() << ")");
        CHECK(stopped.status == IDSYNC_STOP);
      }
      {
        INFO("protocol breaches (including calls after STOP):" << lines(sink.violations()));
        CHECK(sink.violations().empty());
      }
      CHECK(sink.import_end_calls() == 0);
      REQUIRE(sink.pages().size() == stop_page);
      const std::string checkpoint = sink.pages().back().checkpoint;
      {
        INFO("page " << stop_page << " was committed with an empty checkpoint, which means "
                     << "\"start from the beginning\": resuming would import it again");
        CHECK_FALSE(checkpoint.empty());
      }
      std::vector<ImportedObject> seen;
      for (const ImportPage& page : sink.pages())
        seen.insert(seen.end(), page.objects.begin(), page.objects.end());

      // As after a crash: the instance is gone, a new one on the same state folder resumes.
      first.reset();
      auto second = h->create(state_dir);
      RecordingImportSink::Options rest_options;
      rest_options.page_size = page_size;
      ImportRun rest = run_import(*second, rest_options, checkpoint);
      const std::vector<ImportedObject> resumed = require_complete(rest);
      seen.insert(seen.end(), resumed.begin(), resumed.end());

      const std::string diff = compare_objects(expected, seen);
      INFO("checkpoint " << printable(checkpoint) << ": committed pages 1.." << stop_page
                         << " plus the resumed import differ from one uninterrupted import:\n"
                         << diff);
      CHECK(diff.empty());
      // The host judges deletes on the resumed run; it saw everything, in two parts.
      CHECK(rest.sink->end()->all_results_returned == whole.sink->end()->all_results_returned);
    }
  }
}

}  // namespace idsync::contract
