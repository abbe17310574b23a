// Full import: the page protocol, and that the page size changes nothing but the paging.
#include <idsync/plugin_abi.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <optional>
#include <string>
#include <vector>

#include "contract/harness.hpp"
#include "contract/hook_checks.hpp"
#include "contract/import_runs.hpp"

namespace idsync::contract {

TEST_CASE("full import: well-formed pages and the same objects for page sizes 1, 2 and 1000",
          "[instance][import]") {
  auto h = Harness::open("full import");
  if (!h) return;
  auto instance = h->create();

  std::vector<ImportedObject> reference;
  std::optional<ImportEnd> reference_end;
  // 1000 first: the reference the small page sizes are compared with. The same instance
  // serves every run, as the host reuses one between scheduled imports.
  for (const uint32_t page_size : {1000u, 1u, 2u}) {
    INFO("page size " << page_size);
    ImportRun run;
    const std::vector<ImportedObject> objects = complete_full_import(*instance, page_size, &run);
    const ImportEnd& end = *run.sink->end();

    {
      INFO("anchors are the host's identity for objects; these repeat:"
           << lines(duplicate_anchors(objects)));
      CHECK(duplicate_anchors(objects).empty());
    }
    {
      INFO("the connector config's min_objects is " << h->spec().min_objects);
      CHECK(objects.size() >= h->spec().min_objects);
    }
    if (!h->spec().object_types.empty()) {
      std::vector<std::string> unselected;
      for (const ImportedObject& o : objects)
        if (std::find(h->spec().object_types.begin(), h->spec().object_types.end(),
                      o.object_type) == h->spec().object_types.end())
          unselected.push_back(describe(o));
      INFO("objects of types the connector config did not select:" << lines(unselected));
      CHECK(unselected.empty());
    }
    if (h->can(IDSYNC_CAP_DELTA_IMPORT)) {
      INFO("import_end of a full import is where the next delta import starts");
      CHECK_FALSE(end.watermark.empty());
    }

    if (!reference_end) {
      reference = objects;
      reference_end = end;
      if (end.all_results_returned == 0)
        WARN(
            "the full import says all_results_returned = 0, so the host never stages deletes "
            "for objects that disappeared; right only if the connector filtered or truncated");
      continue;
    }
    const std::string diff = compare_objects(reference, objects);
    INFO("objects differ from the import with page size 1000:\n" << diff);
    CHECK(diff.empty());
    CHECK(end.all_results_returned == reference_end->all_results_returned);
  }
}

}  // namespace idsync::contract
