// Store set-up shared by the exporter tests: pending exports written directly, as outbound sync
// would, and readers for what the export left behind.
#pragma once

#include <rocksdb/write_batch.h>

#include <map>
#include <string>
#include <vector>

#include "exporter/export_step.hpp"
#include "store/export_confirm.hpp"
#include "store/pending_export.hpp"
#include "store/prefix_scan.hpp"
#include "store/store.hpp"

namespace idsync::exporter::test {

inline constexpr const char* kConnector = "LDAP";
inline constexpr int64_t kNow = 1'700'000'000'000;

inline store::AttributeDelta delta(std::string name, std::vector<std::string> values,
                                   store::ValueOp op = store::ValueOp::replace) {
  return {std::move(name), IDSYNC_VALUE_STRING, op, std::move(values)};
}

inline store::PendingExport pending(store::ExportKind kind, std::string dn,
                                    std::vector<store::AttributeDelta> attrs = {}) {
  store::PendingExport pe;
  pe.kind = kind;
  pe.object_type = "person";
  pe.dn = std::move(dn);
  pe.attributes = std::move(attrs);
  pe.created_unix_ms = pe.updated_unix_ms = 1;
  return pe;
}

inline void put_pending(store::Store& st, const std::string& anchor,
                        const store::PendingExport& pe) {
  rocksdb::WriteBatch b;
  store::PendingExports(st, st.connector_id(kConnector)).put(b, anchor, pe);
  st.write(b);
}

inline std::map<std::string, store::PendingExport> all_pending(store::Store& st) {
  std::map<std::string, store::PendingExport> out;
  store::PendingExports(st, st.connector_id(kConnector))
      .for_each([&](std::string_view a, const store::PendingExport& pe) {
        out.emplace(std::string(a), pe);
        return true;
      });
  return out;
}

inline std::map<std::string, store::ExportConfirm> all_confirms(store::Store& st) {
  std::map<std::string, store::ExportConfirm> out;
  store::scan_prefix(st, store::Family::export_confirm,
                     store::connector_prefix(st.connector_id(kConnector)),
                     [&](std::string_view a, std::string_view v) {
                       store::ExportConfirm c;
                       store::decode_export_confirm(v, c);
                       out.emplace(std::string(a), c);
                       return true;
                     });
  return out;
}

inline ExportStepOptions options(uint32_t batch_size = 100) {
  ExportStepOptions o;
  o.batch_size = batch_size;
  o.now_unix_ms = [] { return kNow; };
  return o;
}

}  // namespace idsync::exporter::test
