// A fake connector for run_import tests that pushes prepared ImportRecords through the raw C
// ABI, page by page: any attributes, values, DNs and change types, as a real connector would.
#pragma once

#include <idsync/plugin_abi.h>

#include <string>
#include <vector>

#include "importer/import_record.hpp"
#include "importer/import_step.hpp"
#include "store/codec.hpp"
#include "store/connector_space.hpp"

namespace idsync::testing {

struct RecordSource {
  std::vector<std::vector<importer::ImportRecord>> pages;
  bool all_results = true;
  std::string watermark = "wm";
  int fail_at_page = -1;  // push this page's records, then fail (IDSYNC_ERR_CONNECTION)
};

// A person with single-valued string attributes, given as name, value, name, value...
inline importer::ImportRecord person(std::string anchor, std::vector<std::string> name_values,
                                     idsync_change change = IDSYNC_CHANGE_STATE) {
  importer::ImportRecord r;
  r.change = change;
  r.object_type = "person";
  r.dn = "cn=" + anchor;
  r.anchor = std::move(anchor);
  for (size_t i = 0; i + 1 < name_values.size(); i += 2)
    r.attributes.push_back(
        {name_values[i], IDSYNC_VALUE_STRING, IDSYNC_ATTR_REPLACE, {name_values[i + 1]}});
  return r;
}

namespace record_source_detail {

inline idsync_str str(const std::string& x) { return {x.data(), x.size()}; }
inline idsync_bytes bytes(const std::string& x) {
  return {reinterpret_cast<const uint8_t*>(x.data()), x.size()};
}

inline idsync_status push(idsync_connector* c, const idsync_import_request* request,
                          const idsync_import_sink* sink, const idsync_diag* diag) {
  const RecordSource& source = *reinterpret_cast<const RecordSource*>(c);
  const std::string checkpoint(reinterpret_cast<const char*>(request->checkpoint.ptr),
                               request->checkpoint.len);
  for (size_t p = checkpoint.empty() ? 0 : std::stoul(checkpoint); p < source.pages.size(); ++p) {
    for (const importer::ImportRecord& r : source.pages[p]) {
      idsync_object_header h{sizeof h,        r.change,  str(r.object_type),
                             bytes(r.anchor), str(r.dn), str(r.source)};
      if (sink->object_begin(sink->host_ctx, &h) != IDSYNC_OK) return IDSYNC_ERROR;
      for (const importer::AttrChange& a : r.attributes) {
        std::vector<idsync_bytes> values;
        for (const auto& v : a.values) values.push_back(bytes(v));
        idsync_attr attr{sizeof attr, str(a.name), a.type, a.op, values.data(), values.size()};
        if (sink->attribute(sink->host_ctx, &attr) != IDSYNC_OK) return IDSYNC_ERROR;
      }
      if (sink->object_end(sink->host_ctx) != IDSYNC_OK) return IDSYNC_ERROR;
    }
    if (static_cast<int>(p) == source.fail_at_page) {
      const std::string message = "the source went away";
      diag->set_error(diag->host_ctx, IDSYNC_ERR_CONNECTION, str(message));
      return IDSYNC_ERROR;
    }
    const std::string next = std::to_string(p + 1);
    if (idsync_status st = sink->page_end(sink->host_ctx, bytes(next)); st != IDSYNC_OK) return st;
  }
  return sink->import_end(sink->host_ctx, source.all_results ? 1 : 0, bytes(source.watermark));
}

}  // namespace record_source_detail

inline idsync_connector_type record_source_type() {
  idsync_connector_type t{};
  t.struct_size = sizeof t;
  t.type_id = "test.records";
  t.capabilities = IDSYNC_CAP_FULL_IMPORT | IDSYNC_CAP_DELTA_IMPORT;
  t.full_import = &record_source_detail::push;
  t.delta_import = &record_source_detail::push;
  return t;
}

// Runs one import of `source` into connector "HR".
inline importer::StepResult import_records(store::Store& st, RecordSource& source,
                                           importer::ImportStepOptions options = {}) {
  const auto type = record_source_type();
  return importer::run_import(st, "HR", type, reinterpret_cast<idsync_connector*>(&source),
                              options);
}

// What a sync leaves behind in connector HR: every pending change consumed.
inline void settle(store::Store& st) {
  const store::ConnectorSpace cs(st, st.connector_id("HR"));
  rocksdb::WriteBatch batch;
  cs.for_each([&](const store::CsObject& o) {
    store::CsObject synced = o;
    synced.pending = store::PendingChange::none;
    synced.first_import = false;
    synced.changed_attributes.clear();
    synced.previous_dn.clear();
    std::string v;
    store::encode_cs_object(synced, v);
    batch.Put(st.family(store::Family::cs), cs.object_key(o.anchor), v);
    return true;
  });
  st.write(batch);
}

inline importer::ImportStepOptions delta_import() {
  importer::ImportStepOptions options;
  options.kind = store::ImportKind::delta;
  return options;
}

}  // namespace idsync::testing
