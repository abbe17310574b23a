#include "exporter.hpp"

namespace idsync::ldap {

void run_export(DirectorySession&, const std::vector<sdk::ExportOp>& ops,
                sdk::ExportResults& results) {
  for (const auto& op : ops)
    results.fail(op.op_id, IDSYNC_ERR_INTERNAL, "export: work in progress");
}

}  // namespace idsync::ldap
