// Creating and destroying instances, a configuration that cannot work, test_connection.
#include <idsync/plugin_abi.h>

#include <catch2/catch.hpp>
#include <string>

#include "contract/harness.hpp"
#include "contract/hook_checks.hpp"
#include "contract/import_runs.hpp"

namespace idsync::contract {
namespace {

// A name no real file has, so that a message mentioning it is recognisably about the path.
constexpr const char* kMissing = "idsync-contract-kit-missing";

// The PATH field a broken config breaks: the first required one, else the first one the
// config sets. nullptr when the type has none.
const idsync_config_field* path_field_to_break(const Harness& h) {
  for (const idsync_config_field* f : h.type().fields())
    if (f->type == IDSYNC_CONFIG_PATH && (f->flags & IDSYNC_CONFIG_REQUIRED) && f->name) return f;
  for (const idsync_config_field* f : h.type().fields())
    if (f->type == IDSYNC_CONFIG_PATH && f->name && h.config().is_set(f->name)) return f;
  return nullptr;
}

}  // namespace

TEST_CASE("instance: create and destroy with the given config", "[instance]") {
  auto h = Harness::open("instance: create and destroy");
  if (!h) return;
  { auto only = h->create(); }
  // Two live instances of one type must not share state: the host runs connectors of the same
  // type side by side. Destroyed in creation order, not reverse, to catch a shared global.
  auto first = h->create();
  auto second = h->create();
  first.reset();
  second.reset();
  auto again = h->create();
  CHECK(again != nullptr);
}

TEST_CASE("instance: a config that cannot work is reported with a reason", "[instance]") {
  auto h = Harness::open("instance: broken config");
  if (!h) return;
  const idsync_config_field* field = path_field_to_break(*h);
  if (!field) {
    WARN("SKIPPED: connector type \"" << h->type().id()
                                      << "\" has no PATH config field the kit could point at a "
                                         "missing file; no broken config to try");
    return;
  }
  const std::string name = field->name;
  manifest::ConnectorDecl decl = h->decl();
  const std::string missing = (h->data_dir() / kMissing / "nothing-here").string();
  decl.config[name] = missing;
  std::vector<manifest::Diagnostic> problems;
  const manifest::ResolvedConfig broken = h->resolve(decl, problems);
  REQUIRE(problems.empty());

  INFO("config field \"" << name << "\" points to the missing " << missing);
  RecordingDiag diag;
  CreateOutcome created = Instance::create(h->type(), broken, h->spec().name,
                                           h->spec().object_types, h->new_state_dir(), diag);
  check_hook_status("create", created.status, diag);
  if (created.status != IDSYNC_OK) {
    // "On failure it returns ERROR (or FATAL) with diag->set_error naming the field."
    CHECK((created.status == IDSYNC_ERROR || created.status == IDSYNC_FATAL));
    INFO("create's message must name the field or the path: " << diag.describe());
    CHECK((diag.error_message().find(name) != std::string::npos ||
           diag.error_message().find(kMissing) != std::string::npos));
    return;
  }
  REQUIRE_FALSE(created.null_handle);
  // create() must not touch the system, so it may accept the config; then the first hook that
  // does must fail, with a reason.
  Instance& instance = *created.instance;
  if (h->can(IDSYNC_CAP_TEST_CONNECTION)) {
    RecordingDiag test_diag;
    const idsync_status status = instance.test_connection(test_diag);
    check_hook_status("test_connection", status, test_diag);
    INFO("create accepted the config; test_connection returned " << status_name(status) << " ("
                                                                 << test_diag.describe() << ")");
    CHECK(status != IDSYNC_OK);
    CHECK(status != IDSYNC_STOP);
    return;
  }
  RecordingImportSink::Options options;
  options.page_size = 1000;
  ImportRun run = run_import(instance, options);
  INFO("create accepted the config and the type has no test_connection; full_import returned "
       << status_name(run.status) << " (" << run.diag->describe() << ")");
  CHECK(run.status != IDSYNC_OK);
  CHECK(run.status != IDSYNC_STOP);
  CHECK(run.sink->import_end_calls() == 0);
}

TEST_CASE("instance: test_connection succeeds with the given config", "[instance]") {
  auto h = Harness::open("instance: test_connection");
  if (!h) return;
  if (!h->can(IDSYNC_CAP_TEST_CONNECTION)) {
    WARN("NOT APPLICABLE: connector type \"" << h->type().id()
                                             << "\" does not offer test_connection");
    return;
  }
  auto instance = h->create();
  RecordingDiag diag;
  const idsync_status status = instance->test_connection(diag);
  check_hook_status("test_connection", status, diag);
  INFO("test_connection returned " << status_name(status) << " (" << diag.describe() << ")");
  CHECK(status == IDSYNC_OK);
}

}  // namespace idsync::contract
