// Export: one result per operation, and imports that see what was exported.
#include <idsync/plugin_abi.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "contract/harness.hpp"
#include "contract/hook_checks.hpp"
#include "contract/import_runs.hpp"
#include "contract/text.hpp"

namespace idsync::contract {
namespace {

// Above 2^32, so that a plugin that keeps op_id in 32 bits answers for the wrong operation.
constexpr uint64_t kAddId = 0x100000001ull;
constexpr uint64_t kUpdateId = 0x100000002ull;
constexpr uint64_t kDeleteId = 0x100000003ull;

// Decides whether the export tests can run; WARNs why not.
bool can_export(const Harness& h, bool need_confirm) {
  if (!h.can(IDSYNC_CAP_EXPORT)) {
    WARN("NOT APPLICABLE: connector type \"" << h.type().id() << "\" does not offer export");
    return false;
  }
  if (!h.spec().export_spec) {
    WARN(
        "SKIPPED: the connector config has no \"export\" block naming an object to add "
        "(see tests/contract/README.md)");
    return false;
  }
  if (need_confirm && !h.spec().export_spec->confirm_by_import) {
    WARN("SKIPPED: the connector config says export.confirm_by_import = false");
    return false;
  }
  const std::vector<std::string> outside = h.paths_outside_copy();
  if (!outside.empty())
    WARN(
        "these paths lie outside the connector config's folder, so the kit did not copy what "
        "they point at and the export may change it:"
        << lines(outside));
  return true;
}

// The value type the schema declares for `attribute` of `object_type`; STRING when it does not.
idsync_value_type declared_type(const std::vector<SchemaObjectType>& schema,
                                const std::string& object_type, const std::string& attribute) {
  for (const SchemaObjectType& t : schema)
    if (t.name == object_type)
      if (const SchemaAttr* a = t.find(attribute)) return a->type;
  return IDSYNC_VALUE_STRING;
}

bool is_secret(const std::vector<SchemaObjectType>& schema, const std::string& object_type,
               const std::string& attribute) {
  for (const SchemaObjectType& t : schema)
    if (t.name == object_type)
      if (const SchemaAttr* a = t.find(attribute)) return (a->flags & IDSYNC_ATTRINFO_SECRET) != 0;
  return false;
}

std::vector<ExportAttrSpec> replace_attrs(const AttrValues& values,
                                          const std::vector<SchemaObjectType>& schema,
                                          const std::string& object_type) {
  std::vector<ExportAttrSpec> out;
  for (const auto& [name, v] : values)
    out.push_back(
        ExportAttrSpec{name, declared_type(schema, object_type, name), IDSYNC_ATTR_REPLACE, v});
  return out;
}

// An anchor that is not in `taken`; random so that reruns on a real system do not collide.
std::string missing_anchor(const std::vector<ImportedObject>& taken) {
  std::random_device rd;
  for (;;) {
    const std::string anchor = "idsync-contract-kit-missing-" + std::to_string(rd());
    if (std::none_of(taken.begin(), taken.end(),
                     [&](const ImportedObject& o) { return o.anchor == anchor; }))
      return anchor;
  }
}

ExportOpSpec add_op(const Harness& h, const std::vector<SchemaObjectType>& schema) {
  const ExportSpec& e = *h.spec().export_spec;
  ExportOpSpec op;
  op.op_id = kAddId;
  op.kind = IDSYNC_EXPORT_ADD;
  op.object_type = e.object_type;
  op.anchor = e.anchor;
  op.dn = e.dn;
  op.attributes = replace_attrs(e.attributes, schema, e.object_type);
  return op;
}

// Problems with how `o` shows the exported `values` (each attribute: the same value set).
// What of `values` the imported object `o` lacks. SECRET attributes are left out: they are
// written and never read back (plugin_abi.h).
std::vector<std::string> missing_values(const ImportedObject& o, const AttrValues& values,
                                        const std::vector<SchemaObjectType>& schema) {
  std::vector<std::string> out;
  for (const auto& [name, want] : values) {
    if (is_secret(schema, o.object_type, name)) continue;
    const ImportedAttr* got = o.find(name);
    std::multiset<std::string> w(want.begin(), want.end());
    if (!got) {
      out.push_back("attribute \"" + name + "\" is missing");
      continue;
    }
    std::multiset<std::string> g(got->values.begin(), got->values.end());
    if (w != g) {
      std::string text;
      for (const std::string& v : got->values) text += (text.empty() ? "" : ", ") + printable(v);
      out.push_back("attribute \"" + name + "\" has [" + text + "]");
    }
  }
  return out;
}

const ImportedObject* find_anchor(const std::vector<ImportedObject>& objects,
                                  const std::string& anchor) {
  for (const ImportedObject& o : objects)
    if (o.anchor == anchor) return &o;
  return nullptr;
}

std::vector<ImportedObject> without(const std::vector<ImportedObject>& objects,
                                    const std::string& anchor) {
  std::vector<ImportedObject> out;
  for (const ImportedObject& o : objects)
    if (o.anchor != anchor) out.push_back(o);
  return out;
}

struct ExportRun {
  idsync_status status;
  std::map<uint64_t, ExportResult> results;
  std::vector<std::string> violations;
};

// Runs one batch and CHECKs what holds for every batch: the hook status contract, no breach of
// the results sink, exactly one result per operation with a defined status and, when it
// failed, a defined kind and a message.
ExportRun run_export(Instance& instance, std::vector<ExportOpSpec> ops) {
  const ExportBatch batch(std::move(ops));
  RecordingExportResults results(batch.op_ids());
  RecordingDiag diag;
  ExportRun out;
  out.status = instance.export_batch(batch, results, diag);
  check_hook_status("export_batch", out.status, diag, !results.violations().empty());
  out.results = results.results();
  out.violations = results.violations();
  {
    INFO("export_batch returned " << status_name(out.status) << " (" << diag.describe()
                                  << "); a failed operation does not fail the batch");
    CHECK(out.status == IDSYNC_OK);
  }
  {
    INFO("results sink breaches (a second report is answered IDSYNC_ERROR):"
         << lines(out.violations));
    CHECK(out.violations.empty());
  }
  for (const ExportOpSpec& op : batch.ops()) {
    INFO("op_id " << op.op_id);
    const auto it = out.results.find(op.op_id);
    CHECK(it != out.results.end());
    if (it == out.results.end()) continue;
    const ExportResult& r = it->second;
    INFO("result " << status_name(r.status) << " " << error_kind_name(r.error_kind) << " \""
                   << r.message << "\"");
    CHECK((r.status == IDSYNC_OK || r.status == IDSYNC_RETRY || r.status == IDSYNC_ERROR));
    CHECK((r.error_kind >= IDSYNC_ERR_NONE && r.error_kind <= IDSYNC_ERR_INTERNAL));
    if (r.status != IDSYNC_OK) CHECK_FALSE(r.message.empty());
    if (r.status == IDSYNC_OK) CHECK(r.message.empty());
  }
  return out;
}

}  // namespace

TEST_CASE("export: one result per operation, and a full import sees the added object",
          "[instance][export]") {
  auto h = Harness::open("export");
  if (!h) return;
  if (!can_export(*h, false)) return;
  const ExportSpec& e = *h->spec().export_spec;
  auto instance = h->create();
  const std::vector<SchemaObjectType> schema = h->schema(*instance);
  ImportRun before_run;
  const std::vector<ImportedObject> before = complete_full_import(*instance, 1000, &before_run);
  if (!e.anchor.empty()) {
    INFO("export.anchor " << printable(e.anchor) << " already exists in the data");
    REQUIRE(find_anchor(before, e.anchor) == nullptr);
  }

  const std::string missing = missing_anchor(before);
  ExportOpSpec update;
  update.op_id = kUpdateId;
  update.kind = IDSYNC_EXPORT_UPDATE;
  update.object_type = e.object_type;
  update.anchor = missing;
  update.attributes = replace_attrs({e.attributes.front()}, schema, e.object_type);
  ExportOpSpec remove;
  remove.op_id = kDeleteId;
  remove.kind = IDSYNC_EXPORT_DELETE;
  remove.object_type = e.object_type;
  remove.anchor = missing;
  const ExportRun run = run_export(*instance, {add_op(*h, schema), update, remove});
  REQUIRE(run.results.size() == 3);

  const ExportResult& added = run.results.at(kAddId);
  {
    INFO("ADD of a new " << e.object_type << ": " << status_name(added.status) << " "
                         << error_kind_name(added.error_kind) << " \"" << added.message << "\"");
    REQUIRE(added.status == IDSYNC_OK);
  }
  if (e.anchor.empty()) {
    INFO("the ADD gave no anchor, so the result must carry the one the system assigned");
    CHECK_FALSE(added.anchor.empty());
  } else {
    INFO("the ADD gave anchor " << printable(e.anchor) << "; the result says "
                                << printable(added.anchor));
    CHECK((added.anchor.empty() || added.anchor == e.anchor));
  }
  for (const uint64_t id : {kUpdateId, kDeleteId}) {
    const ExportResult& r = run.results.at(id);
    INFO((id == kUpdateId ? "UPDATE" : "DELETE")
         << " of the missing anchor " << printable(missing) << ": " << status_name(r.status) << " "
         << error_kind_name(r.error_kind) << " \"" << r.message << "\"");
    CHECK(r.status == IDSYNC_ERROR);
    CHECK(r.error_kind == IDSYNC_ERR_UNKNOWN_OBJECT);
  }

  if (!e.confirm_by_import) return;
  const std::string anchor = added.anchor.empty() ? e.anchor : added.anchor;

  // A delta import from before the export must show the new object and nothing else.
  if (h->can(IDSYNC_CAP_DELTA_IMPORT)) {
    RecordingImportSink::Options options;
    options.kind = ImportKind::delta;
    options.page_size = 1000;
    ImportRun delta_run = run_import(*instance, options, {}, before_run.sink->end()->watermark);
    const std::vector<ImportedObject> delta = require_complete(delta_run);
    std::vector<std::string> problems;
    int seen = 0;
    for (const ImportedObject& o : delta) {
      if (o.anchor == anchor) {
        ++seen;
        if (o.change != IDSYNC_CHANGE_ADD && o.change != IDSYNC_CHANGE_STATE)
          problems.push_back(describe(o) + ": the new object must come as ADD or STATE");
        continue;
      }
      const ImportedObject* old = find_anchor(before, o.anchor);
      if (o.change != IDSYNC_CHANGE_STATE || !old || canonical(*old) != canonical(o))
        problems.push_back(describe(o) + ": a change to an object the export did not touch");
    }
    if (seen != 1)
      problems.push_back("the added object " + printable(anchor) + " came " + std::to_string(seen) +
                         " times, expected once");
    INFO("delta import after the export:" << lines(problems));
    CHECK(problems.empty());
  }

  const std::vector<ImportedObject> after = complete_full_import(*instance, 1000);
  const ImportedObject* found = find_anchor(after, anchor);
  {
    INFO("the full import after the export does not show the added object " << printable(anchor));
    REQUIRE(found != nullptr);
  }
  CHECK(found->object_type == e.object_type);
  const std::vector<std::string> problems = missing_values(*found, e.attributes, schema);
  {
    INFO("the added object " << printable(anchor) << " as imported:" << lines(problems));
    CHECK(problems.empty());
  }
  const std::string diff = compare_objects(before, without(after, anchor));
  INFO("objects the batch did not add changed (the failed UPDATE/DELETE must change nothing):\n"
       << diff);
  CHECK(diff.empty());
}

TEST_CASE("export: an update and a delete of the added object are seen by the next import",
          "[instance][export]") {
  auto h = Harness::open("export round trip");
  if (!h) return;
  if (!can_export(*h, true)) return;
  const ExportSpec& e = *h->spec().export_spec;
  auto instance = h->create();
  const std::vector<SchemaObjectType> schema = h->schema(*instance);
  const std::vector<ImportedObject> before = complete_full_import(*instance, 1000);

  const ExportRun added = run_export(*instance, {add_op(*h, schema)});
  REQUIRE(added.results.count(kAddId) == 1);
  REQUIRE(added.results.at(kAddId).status == IDSYNC_OK);
  const ExportResult& add_result = added.results.at(kAddId);
  const std::string anchor = add_result.anchor.empty() ? e.anchor : add_result.anchor;
  REQUIRE_FALSE(anchor.empty());
  // The result's DN is the one the object now has, when the system chose it.
  const std::string dn = add_result.dn.empty() ? e.dn : add_result.dn;

  // What to change: the config's "update" block, else every exported STRING attribute other
  // than the anchor attribute, with a recognisable new value.
  AttrValues changes = e.update;
  if (changes.empty()) {
    std::string anchor_attribute;
    for (const SchemaObjectType& t : schema)
      if (t.name == e.object_type) anchor_attribute = t.anchor_attribute;
    for (const auto& [name, values] : e.attributes)
      if (name != anchor_attribute && !values.empty() &&
          declared_type(schema, e.object_type, name) == IDSYNC_VALUE_STRING)
        changes.emplace_back(name, std::vector<std::string>{values.front() + " (updated)"});
  }
  if (changes.empty()) {
    WARN(
        "SKIPPED the update: no exported STRING attribute besides the anchor; give "
        "export.update in the connector config");
  } else {
    ExportOpSpec update;
    update.op_id = kUpdateId;
    update.kind = IDSYNC_EXPORT_UPDATE;
    update.object_type = e.object_type;
    update.anchor = anchor;
    update.dn = dn;
    update.attributes = replace_attrs(changes, schema, e.object_type);
    const ExportRun updated = run_export(*instance, {update});
    REQUIRE(updated.results.count(kUpdateId) == 1);
    const ExportResult& r = updated.results.at(kUpdateId);
    {
      INFO("UPDATE of the added object: " << status_name(r.status) << " "
                                          << error_kind_name(r.error_kind) << " \"" << r.message
                                          << "\"");
      REQUIRE(r.status == IDSYNC_OK);
    }
    const std::vector<ImportedObject> after = complete_full_import(*instance, 1000);
    const ImportedObject* found = find_anchor(after, anchor);
    REQUIRE(found != nullptr);
    const std::vector<std::string> problems = missing_values(*found, changes, schema);
    INFO("after the UPDATE, the object as imported:" << lines(problems));
    CHECK(problems.empty());
  }

  ExportOpSpec remove;
  remove.op_id = kDeleteId;
  remove.kind = IDSYNC_EXPORT_DELETE;
  remove.object_type = e.object_type;
  remove.anchor = anchor;
  remove.dn = dn;
  const ExportRun removed = run_export(*instance, {remove});
  REQUIRE(removed.results.count(kDeleteId) == 1);
  const ExportResult& r = removed.results.at(kDeleteId);
  {
    INFO("DELETE of the added object: " << status_name(r.status) << " "
                                        << error_kind_name(r.error_kind) << " \"" << r.message
                                        << "\"");
    REQUIRE(r.status == IDSYNC_OK);
  }
  const std::vector<ImportedObject> after = complete_full_import(*instance, 1000);
  const std::string diff = compare_objects(before, after);
  INFO("after adding and deleting one object, the import differs from the one before:\n" << diff);
  CHECK(diff.empty());
}

}  // namespace idsync::contract
