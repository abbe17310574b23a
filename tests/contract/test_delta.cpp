// Delta import and watermarks.
#include <idsync/plugin_abi.h>

#include <catch2/catch.hpp>
#include <map>
#include <string>
#include <vector>

#include "contract/harness.hpp"
#include "contract/hook_checks.hpp"
#include "contract/import_runs.hpp"
#include "contract/text.hpp"

namespace idsync::contract {
namespace {

// Bytes no connector writes as a watermark: a NUL, invalid UTF-8 and a readable marker.
using namespace std::string_literals;
const std::string kGarbage =
    "\0"
    "\xff\xfe"
    "idsync-contract-kit: not a watermark\x01"s;

bool not_applicable(const Harness& h, uint32_t capability, const char* what) {
  if (h.can(capability)) return false;
  WARN("NOT APPLICABLE: connector type \"" << h.type().id() << "\" does not offer " << what);
  return true;
}

// Records of a delta import over an unchanged source that are changes: any ADD, UPDATE or
// DELETE, and STATE records that differ from what the full import saw.
std::vector<std::string> changes_in(const std::vector<ImportedObject>& delta,
                                    const std::vector<ImportedObject>& full) {
  std::map<std::string, const ImportedObject*> by_anchor;
  for (const ImportedObject& o : full) by_anchor[o.anchor] = &o;
  std::vector<std::string> out;
  for (const ImportedObject& o : delta) {
    if (o.change != IDSYNC_CHANGE_STATE) {
      out.push_back(describe(o));
      continue;
    }
    const auto it = by_anchor.find(o.anchor);
    if (it == by_anchor.end() || canonical(*it->second) != canonical(o))
      out.push_back(describe(o) + " (differs from the full import)");
  }
  return out;
}

}  // namespace

TEST_CASE("delta import: after a full import, an unchanged source yields no changes",
          "[instance][delta]") {
  auto h = Harness::open("delta import");
  if (!h) return;
  if (not_applicable(*h, IDSYNC_CAP_DELTA_IMPORT, "delta_import")) return;
  auto instance = h->create();
  ImportRun full_run;
  const std::vector<ImportedObject> full = complete_full_import(*instance, 1000, &full_run);
  const std::string watermark = full_run.sink->end()->watermark;
  {
    INFO("a full import's import_end gives the watermark the next delta import starts from");
    REQUIRE_FALSE(watermark.empty());
  }

  // Twice: from the full import's watermark, then from the first delta's own.
  std::string from = watermark;
  for (int round = 1; round <= 2; ++round) {
    INFO("delta import #" << round << " from watermark " << printable(from));
    RecordingImportSink::Options options;
    options.kind = ImportKind::delta;
    options.page_size = 1000;
    ImportRun run = run_import(*instance, options, {}, from);
    const std::vector<ImportedObject> delta = require_complete(run);
    const std::vector<std::string> changes = changes_in(delta, full);
    {
      INFO("nothing changed in the source, yet the delta import pushed:" << lines(changes));
      CHECK(changes.empty());
    }
    from = run.sink->end()->watermark;
    INFO("a delta import's import_end gives the watermark the next one starts from");
    CHECK_FALSE(from.empty());
    if (from.empty()) break;
  }
}

TEST_CASE("delta import: a garbage watermark is refused with a reason", "[instance][delta]") {
  auto h = Harness::open("delta import with a garbage watermark");
  if (!h) return;
  if (not_applicable(*h, IDSYNC_CAP_DELTA_IMPORT, "delta_import")) return;
  auto instance = h->create();
  const std::vector<ImportedObject> full = complete_full_import(*instance, 1000);

  RecordingImportSink::Options options;
  options.kind = ImportKind::delta;
  options.page_size = 1000;
  ImportRun run = run_import(*instance, options, {}, kGarbage);
  INFO("delta_import with watermark " << printable(kGarbage) << " returned "
                                      << status_name(run.status) << " (" << run.diag->describe()
                                      << ")");
  // "An expired or foreign watermark returns ERROR with IDSYNC_ERR_PRECONDITION: the admin
  // must run a full import." INVALID_VALUE is accepted for bytes that do not even parse.
  CHECK(run.status == IDSYNC_ERROR);
  CHECK((run.diag->error_kind() == IDSYNC_ERR_PRECONDITION ||
         run.diag->error_kind() == IDSYNC_ERR_INVALID_VALUE));
  // Changes computed from a watermark the connector does not understand are wrong changes;
  // nothing may be committed before the refusal.
  CHECK(run.sink->pages().empty());
  CHECK(run.sink->import_end_calls() == 0);

  // ERROR: "This call failed. The instance remains usable."
  const std::vector<ImportedObject> after = complete_full_import(*instance, 1000);
  CHECK(compare_objects(full, after).empty());
}

TEST_CASE("current watermark: non-empty, and a delta import from it yields no changes",
          "[instance][delta]") {
  auto h = Harness::open("current_watermark");
  if (!h) return;
  if (not_applicable(*h, IDSYNC_CAP_CURRENT_WATERMARK, "current_watermark")) return;
  auto instance = h->create();

  // Before any import a connector whose deltas compare with its last import (snapshots) has no
  // baseline yet; it may say so, as a precondition, but not fail otherwise.
  {
    RecordingBytesSink sink;
    RecordingDiag diag;
    const idsync_status status = instance->current_watermark(sink, diag);
    check_hook_status("current_watermark (before any import)", status, diag);
    if (status != IDSYNC_OK) {
      INFO("current_watermark before any import returned " << status_name(status) << " ("
                                                           << diag.describe() << ")");
      CHECK(status == IDSYNC_ERROR);
      CHECK(diag.error_kind() == IDSYNC_ERR_PRECONDITION);
    }
  }

  const std::vector<ImportedObject> full = complete_full_import(*instance, 1000);
  RecordingBytesSink sink;
  RecordingDiag diag;
  const idsync_status status = instance->current_watermark(sink, diag);
  check_hook_status("current_watermark", status, diag);
  {
    INFO("current_watermark after a full import returned " << status_name(status) << " ("
                                                           << diag.describe() << ")");
    REQUIRE(status == IDSYNC_OK);
  }
  {
    INFO("bytes sink breaches:" << lines(sink.violations()));
    CHECK(sink.violations().empty());
  }
  {
    INFO("current_watermark must write the watermark exactly once; it wrote "
         << sink.writes().size() << " times");
    REQUIRE(sink.writes().size() == 1);
  }
  const std::string watermark = sink.writes().front();
  REQUIRE_FALSE(watermark.empty());
  if (!h->can(IDSYNC_CAP_DELTA_IMPORT)) return;

  RecordingImportSink::Options options;
  options.kind = ImportKind::delta;
  options.page_size = 1000;
  ImportRun run = run_import(*instance, options, {}, watermark);
  const std::vector<ImportedObject> delta = require_complete(run);
  const std::vector<std::string> changes = changes_in(delta, full);
  INFO("nothing changed since current_watermark "
       << printable(watermark) << ", yet the delta import pushed:" << lines(changes));
  CHECK(changes.empty());
}

}  // namespace idsync::contract
