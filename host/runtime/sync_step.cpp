#include "runtime/sync_step.hpp"

#include "sync/inbound_sync.hpp"
#include "sync/outbound_sync.hpp"

namespace idsync::runtime {

namespace {

// The admin reads the message in `idsync history`; the first few problems say what kind of
// problem it is, the full lists would drown it.
constexpr std::size_t kListedInMessage = 3;

void describe(std::string& out, const std::vector<sync::ObjectError>& list, const char* label) {
  for (std::size_t i = 0; i < list.size() && i < kListedInMessage; ++i)
    out += std::string("; ") + label + " " + list[i].anchor + ": " + list[i].message;
}

}  // namespace

importer::StepResult run_sync_step(store::Store& store, const LoadedRules& rules,
                                   const std::string& connector, sync::SyncKind kind,
                                   sync::Deprovisioning deprovisioning,
                                   const std::atomic<bool>* cancel) {
  sync::InboundOptions options;
  options.kind = kind;
  options.deprovisioning = deprovisioning;
  options.functions = rules.functions.get();
  options.cancel = cancel;
  sync::OutboundOptions out_options;
  out_options.functions = rules.functions.get();
  out_options.cancel = cancel;
  sync::OutboundSync outbound(store, rules.rules, out_options);

  sync::InboundSync sync(store, rules.rules, connector, options);
  // Outbound flow goes with each inbound batch; the outbound run takes what is left.
  sync.evaluate_outbound_in_batch(outbound);
  const sync::InboundResult r = sync.run();
  // Stopped: the outbound marks left stay for the next run, which resumes the inbound half too.
  const sync::OutboundResult o = r.completed ? outbound.run() : sync::OutboundResult{};

  importer::StepResult result;
  result.counters.objects = r.objects;
  result.counters.projections = r.projections;
  result.counters.joins = r.joins;
  result.counters.disconnectors = r.disconnectors + o.disconnected;
  result.counters.flow_updates = r.flow_updates;
  result.counters.errors = r.errors + r.join_errors + o.errors;
  result.counters.pages = r.batches;
  result.counters.export_adds = o.provisioned;
  result.counters.export_updates = o.updated;
  result.counters.export_deletes = o.deprovisioned;
  for (const auto& e : r.join_error_list)
    result.object_issues.push_back({e.anchor, "join-error", e.message});
  for (const auto& e : r.error_list)
    result.object_issues.push_back({e.anchor, "sync-error", e.message});
  for (const auto& e : o.error_list)
    result.object_issues.push_back({e.anchor, "outbound-sync-error", e.message});
  if (!r.completed || !o.completed) {
    result.status = "stopped-user";
    result.message = "stopped at a batch boundary after " + std::to_string(r.objects) +
                     " objects; the next sync resumes from there";
    return result;
  }
  if (r.errors == 0 && r.join_errors == 0 && o.errors == 0) {
    result.status = "success";
    return result;
  }
  result.status = "completed-sync-errors";
  const uint64_t errors = r.errors + o.errors;
  result.message = std::to_string(errors) + " object error" + (errors == 1 ? "" : "s") + ", " +
                   std::to_string(r.join_errors) + " join error" + (r.join_errors == 1 ? "" : "s") +
                   " (the objects stay queued for the next sync)";
  describe(result.message, r.error_list, "object");
  describe(result.message, r.join_error_list, "join error for");
  describe(result.message, o.error_list, "outbound flow of");
  return result;
}

}  // namespace idsync::runtime
