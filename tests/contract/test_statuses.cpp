// Provokes failures through every hook the type offers; whatever a hook then returns must be a
// defined status and, when it is a failure, come with a reason (check_hook_status). Which
// status each provocation deserves is asserted by the dedicated tests; here only that no
// failure is silent or undefined.
#include <idsync/plugin_abi.h>

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "contract/export_batch.hpp"
#include "contract/harness.hpp"
#include "contract/hook_checks.hpp"
#include "contract/import_runs.hpp"

namespace idsync::contract {
namespace {

using namespace std::string_literals;
const std::string kNoSuchType = "idsync-contract-kit-no-such-type";
const std::string kGarbage =
    "\0"
    "\xff"
    "idsync-contract-kit: not a checkpoint\x02"s;

}  // namespace

TEST_CASE("statuses: every non-OK status a hook returns is defined and explained",
          "[instance][statuses]") {
  auto h = Harness::open("statuses");
  if (!h) return;

  SECTION("create with an object type the connector does not have") {
    RecordingDiag diag;
    CreateOutcome created = Instance::create(h->type(), h->config(), h->spec().name, {kNoSuchType},
                                             h->new_state_dir(), diag);
    check_hook_status("create (object_types [\"" + kNoSuchType + "\"])", created.status, diag);
    if (created.instance) {
      RecordingSchemaSink schema;
      RecordingDiag schema_diag;
      const idsync_status status = created.instance->get_schema(schema, schema_diag);
      check_hook_status("get_schema", status, schema_diag, !schema.violations().empty());
      INFO("schema sink breaches:" << lines(schema.violations()));
      CHECK(schema.violations().empty());
      RecordingImportSink::Options options;
      ImportRun run = run_import(*created.instance, options);
      CHECK(run.sink->violations().empty());
    }
  }

  SECTION("full import from a checkpoint the connector never wrote") {
    auto instance = h->create();
    RecordingImportSink::Options options;
    ImportRun run = run_import(*instance, options, kGarbage);
    if (run.status != IDSYNC_OK) CHECK(run.sink->import_end_calls() == 0);
  }

  SECTION("delta import from an empty or garbage watermark") {
    if (!h->can(IDSYNC_CAP_DELTA_IMPORT)) return;
    auto instance = h->create();
    RecordingImportSink::Options options;
    options.kind = ImportKind::delta;
    for (const std::string& watermark : {std::string(), kGarbage}) {
      ImportRun run = run_import(*instance, options, {}, watermark);
      if (run.status != IDSYNC_OK) CHECK(run.sink->import_end_calls() == 0);
    }
  }

  SECTION("export to an object type and anchors that do not exist") {
    if (!h->can(IDSYNC_CAP_EXPORT)) return;
    auto instance = h->create();
    std::vector<ExportOpSpec> ops(2);
    ops[0].op_id = 1;
    ops[0].kind = IDSYNC_EXPORT_UPDATE;
    ops[0].object_type = kNoSuchType;
    ops[0].anchor = "idsync-contract-kit-missing";
    ops[0].attributes.push_back(
        ExportAttrSpec{"description", IDSYNC_VALUE_STRING, IDSYNC_ATTR_REPLACE, {"contract kit"}});
    ops[1].op_id = 2;
    ops[1].kind = IDSYNC_EXPORT_DELETE;
    ops[1].object_type = kNoSuchType;
    ops[1].anchor = "idsync-contract-kit-missing";
    const ExportBatch batch(std::move(ops));
    RecordingExportResults results(batch.op_ids());
    RecordingDiag diag;
    const idsync_status status = instance->export_batch(batch, results, diag);
    check_hook_status("export_batch", status, diag, !results.violations().empty());
    INFO("results sink breaches:" << lines(results.violations()));
    CHECK(results.violations().empty());
    for (const auto& [id, r] : results.results()) {
      INFO("op_id " << id << ": " << status_name(r.status) << " " << error_kind_name(r.error_kind));
      CHECK((r.status == IDSYNC_OK || r.status == IDSYNC_RETRY || r.status == IDSYNC_ERROR));
      CHECK((r.error_kind >= IDSYNC_ERR_NONE && r.error_kind <= IDSYNC_ERR_INTERNAL));
      if (r.status != IDSYNC_OK) CHECK_FALSE(r.message.empty());
    }
  }

  SECTION("test_connection and current_watermark on a fresh instance") {
    auto instance = h->create();
    if (h->can(IDSYNC_CAP_TEST_CONNECTION)) {
      RecordingDiag diag;
      check_hook_status("test_connection", instance->test_connection(diag), diag);
    }
    if (h->can(IDSYNC_CAP_CURRENT_WATERMARK)) {
      RecordingBytesSink sink;
      RecordingDiag diag;
      check_hook_status("current_watermark", instance->current_watermark(sink, diag), diag);
    }
  }
}

}  // namespace idsync::contract
