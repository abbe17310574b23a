#include "contract/recording_export_results.hpp"

#include "contract/abi_struct.hpp"
#include "contract/recording_diag.hpp"
#include "contract/text.hpp"

namespace idsync::contract {

RecordingExportResults::RecordingExportResults(std::set<uint64_t> op_ids)
    : results_{sizeof(idsync_export_results), this, &RecordingExportResults::on_report,
               &RecordingExportResults::on_is_cancelled},
      op_ids_(std::move(op_ids)) {}

idsync_status RecordingExportResults::on_report(void* ctx, const idsync_export_result* p) {
  auto* self = static_cast<RecordingExportResults*>(ctx);
  std::string problem;
  const auto r = read_struct(p, "export result", problem);
  if (!r) {
    self->violations_.push_back("report: " + problem);
    return IDSYNC_ERROR;
  }
  const std::string op = "op_id " + std::to_string(r->op_id);
  if (!self->op_ids_.count(r->op_id)) {
    self->violations_.push_back("report for " + op + ", which is not in the batch");
    return IDSYNC_ERROR;
  }
  if (self->first_.count(r->op_id)) {
    // The ABI: "A second report for the same op_id ... returns ERROR and is otherwise ignored."
    self->violations_.push_back("second report for " + op + " (status " + status_name(r->status) +
                                "); the first one stands");
    return IDSYNC_ERROR;
  }
  if ((r->message.ptr == nullptr && r->message.len != 0) ||
      (r->anchor.ptr == nullptr && r->anchor.len != 0) || (r->dn.ptr == nullptr && r->dn.len != 0))
    self->violations_.push_back("report for " + op + ": a view with a NULL pointer and a length");
  ExportResult out;
  out.op_id = r->op_id;
  out.status = r->status;
  out.error_kind = r->error_kind;
  if (r->message.ptr || r->message.len == 0) out.message = std::string(view(r->message));
  if (r->anchor.ptr || r->anchor.len == 0) out.anchor = std::string(view(r->anchor));
  if (r->dn.ptr || r->dn.len == 0) out.dn = std::string(view(r->dn));
  self->first_.emplace(r->op_id, std::move(out));
  return IDSYNC_OK;
}

// The kit never cancels an export: every operation must get its result.
int32_t RecordingExportResults::on_is_cancelled(void*) { return 0; }

}  // namespace idsync::contract
